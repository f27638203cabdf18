package org.cjassessment.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code cj} command line. Subcommands are wired here explicitly. */
@Command(
    name = "cj",
    mixinStandardHelpOptions = true,
    version = "cj-assessment 0.1.0",
    description = "Comparative Judgement assessment of essays: Bradley–Terry scoring, grades, exactly-once events.",
    subcommands = {ScoreCommand.class, ServeCommand.class, JudgeCommand.class, OutboxCommand.class, BenchCommand.class,
        DemoCommand.class, AssessCommand.class, ReportCommand.class, AuditCommand.class, ConsumersCommand.class,
        ApiKeyCommand.class, SimulateCommand.class})
public final class CjCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** The process environment; tests substitute their own (the CLI reads its CJ_* settings only through this). */
  private static volatile java.util.function.Supplier<java.util.Map<String, String>> environment = System::getenv;

  static java.util.Map<String, String> environment() {
    return environment.get();
  }

  static void useEnvironment(java.util.function.Supplier<java.util.Map<String, String>> supplier) {
    environment = supplier;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line. A user mistake (bad argument, unreadable or invalid input) prints one line on
   * stderr and exits with 2; anything else is a bug and keeps its stack trace.
   */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CjCommand());
    cli.setParameterExceptionHandler((ex, args) -> {
      ex.getCommandLine().getErr().println("cj: " + ex.getMessage()
          + " (see: cj " + ex.getCommandLine().getCommandName() + " --help)");
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, command, parseResult) -> {
      if (ex instanceof UserInputException) {
        command.getErr().println("cj " + command.getCommandName() + ": " + ex.getMessage());
        return 2;
      }
      throw ex;
    });
    return cli;
  }
}
