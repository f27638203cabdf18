package org.cjassessment.app;

import com.zaxxer.hikari.pool.HikariPool;
import java.sql.SQLException;
import java.util.Optional;
import picocli.CommandLine;

/** One-line descriptions of mistakes that picocli or the connection pool would otherwise report in their terms. */
final class CliMistakes {

  private CliMistakes() {}

  /** A command-line mistake; an unknown subcommand is named as such, with the commands there are. */
  static String describe(CommandLine.ParameterException ex) {
    CommandLine command = ex.getCommandLine();
    if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !command.getSubcommands().isEmpty()
        && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
      return "unknown command '" + unmatched.getUnmatched().get(0) + "'; commands: "
          + String.join(", ", command.getSubcommands().keySet());
    }
    return ex.getMessage();
  }

  /**
   * When the pool could not open its first connection (wrong URL, host down, bad password, no such database): the
   * driver's reason and what to check. Empty for any other failure.
   */
  static Optional<String> databaseUnreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HikariPool.PoolInitializationException) {
        String reason = t.getMessage();
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
          if (c instanceof SQLException && c.getMessage() != null) {
            reason = c.getMessage();
            break;
          }
        }
        return Optional.of("cannot connect to the database: " + firstLine(reason)
            + " (check CJ_DB_URL, CJ_DB_USER, CJ_DB_PASSWORD and that PostgreSQL is running)");
      }
    }
    return Optional.empty();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
