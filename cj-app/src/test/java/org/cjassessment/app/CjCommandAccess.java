package org.cjassessment.app;

import java.util.Map;
import picocli.CommandLine;

/** Lets tests in other packages run the CLI with an environment of their own (null restores the process's). */
public final class CjCommandAccess {

  private CjCommandAccess() {}

  public static void useEnvironment(Map<String, String> env) {
    CjCommand.useEnvironment(env == null ? System::getenv : () -> env);
  }

  public static CommandLine commandLine() {
    return CjCommand.commandLine();
  }
}
