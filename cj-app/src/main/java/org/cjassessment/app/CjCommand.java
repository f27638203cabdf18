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

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // the configured command line (a new one would lose the subcommands' reflowed descriptions)
    spec.commandLine().usage(spec.commandLine().getOut());
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
   * The configured command line. A user mistake (bad argument, unreadable or invalid input, a setting that cannot
   * work) prints one line on stderr, prefixed with the full command name, and exits with 2; anything else is a bug
   * and keeps its stack trace.
   */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CjCommand());
    inheritVersion(cli, cli.getCommandSpec().version());
    UsageText.reflow(cli);
    cli.setParameterExceptionHandler((ex, args) -> {
      CommandLine command = ex.getCommandLine();
      String name = command.getCommandSpec().qualifiedName();
      command.getErr().println(name + ": " + CliMistakes.describe(ex) + " (see: " + name + " --help)");
      return 2;
    });
    cli.setExecutionStrategy(parseResult -> {
      // Checked before any command runs: a mistyped log setting would otherwise silently drop or flood the logs.
      java.util.Optional<String> badLogSetting = LogSettings.problem(environment());
      if (badLogSetting.isPresent()) {
        CommandLine command = parseResult.asCommandLineList().get(parseResult.asCommandLineList().size() - 1);
        command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + badLogSetting.get());
        return 2;
      }
      return new CommandLine.RunLast().execute(parseResult);
    });
    cli.setExecutionExceptionHandler((ex, command, parseResult) -> {
      String name = command.getCommandSpec().qualifiedName();
      if (ex instanceof UserInputException) {
        command.getErr().println(name + ": " + ex.getMessage());
        return 2;
      }
      java.util.Optional<String> unreachable = CliMistakes.databaseUnreachable(ex);
      if (unreachable.isPresent()) {
        command.getErr().println(name + ": " + unreachable.get());
        return 2;
      }
      throw ex;
    });
    return cli;
  }

  /** Every subcommand answers {@code --version} with the version of {@code cj} (picocli leaves theirs empty). */
  private static void inheritVersion(CommandLine cli, String[] version) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (sub.getCommandSpec().version().length == 0) {
        sub.getCommandSpec().version(version);
      }
      inheritVersion(sub, version);
    }
  }
}
