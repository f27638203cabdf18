package org.cjassessment.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL runs as its own process, so a JVM killed without running its shutdown hooks, or a start that timed
 * out, leaves the postmaster running, holding a port and its data in RAM. Its pid is the first line of
 * {@code postmaster.pid}.
 */
final class OrphanedPostmaster {

  private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);

  private OrphanedPostmaster() {}

  /** Stops the postmaster of the data directory {@code scratch/data}, if one still runs. */
  static void stopIn(Path scratch) {
    Path pidFile = scratch.resolve("data").resolve("postmaster.pid");
    try (Stream<String> lines = Files.lines(pidFile)) {
      long pid = Long.parseLong(lines.findFirst().orElse("").trim());
      ProcessHandle.of(pid)
          // the pid may have been reused by an unrelated process since
          .filter(process -> process.info().command().map(command -> command.endsWith("/postgres")).orElse(false))
          .ifPresent(OrphanedPostmaster::stop);
    } catch (IOException | RuntimeException e) {
      // no pid file or no such process: nothing runs
    }
  }

  private static void stop(ProcessHandle postmaster) {
    log.warn("Stopping PostgreSQL (pid {}) that its JVM left running", postmaster.pid());
    // SIGTERM: a "smart" shutdown, which waits for clients; they died with their JVM or never connected
    postmaster.destroy();
    try {
      postmaster.onExit().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      postmaster.destroyForcibly();
    }
  }
}
