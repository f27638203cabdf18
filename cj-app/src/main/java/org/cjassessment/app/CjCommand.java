package org.cjassessment.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code cj} command line. Subcommands are wired here explicitly. */
@Command(
    name = "cj",
    mixinStandardHelpOptions = true,
    version = "cj-assessment 0.1.0",
    description = "Comparative Judgement assessment of essays: Bradley–Terry scoring, grades, exactly-once events.",
    subcommands = {DemoCommand.class})
public final class CjCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; exit code 2 for user mistakes (bad arguments), as for every subcommand. */
  static CommandLine commandLine() {
    return new CommandLine(new CjCommand());
  }
}
