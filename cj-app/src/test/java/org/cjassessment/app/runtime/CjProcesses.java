package org.cjassessment.app.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cjassessment.app.CjCommand;

/**
 * `cj` subcommands as child JVMs from the test's own class path, each logging to {@code DIR/NAME.log}, with only the
 * CJ_* variables a test gives them. {@link #close()} stops what is still running: SIGTERM first, so the shutdown
 * hooks close the service cleanly, then SIGKILL after 30 s.
 */
final class CjProcesses implements AutoCloseable {

  private final Path dir;
  private final List<Process> started = new ArrayList<>();

  CjProcesses(Path dir) {
    this.dir = dir;
  }

  Process start(String name, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), CjCommand.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("CJ_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** What the process called {@code name} has written so far. */
  String log(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : started) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
