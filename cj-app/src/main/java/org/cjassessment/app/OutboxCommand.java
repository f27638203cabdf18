package org.cjassessment.app;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.cjassessment.app.runtime.ServiceConfig;
import org.cjassessment.outbox.DeadMessage;
import org.cjassessment.outbox.OutboxAdmin;
import org.cjassessment.outbox.OutboxStatus;
import org.cjassessment.service.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "outbox",
    mixinStandardHelpOptions = true,
    description = "Operate the outbox of the database in CJ_DB_URL: list DEAD rows, re-drive one or all, count by status.",
    subcommands = {OutboxCommand.Dead.class, OutboxCommand.Retry.class, OutboxCommand.Counts.class})
final class OutboxCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs {@code action} against the outbox of the database that CJ_DB_URL (in {@code env}) names. */
  static <T> T withAdmin(Map<String, String> env, Function<OutboxAdmin, T> action) {
    ServiceConfig config;
    try {
      config = ServiceConfig.fromEnvironment(env);
    } catch (ServiceConfig.ConfigException e) {
      throw new UserInputException(e.getMessage());
    }
    if (config.embeddedDatabase()) {
      throw new UserInputException("set CJ_DB_URL (and CJ_DB_USER, CJ_DB_PASSWORD) to the service's database");
    }
    try (HikariDataSource pool = Database.pool(config.jdbcUrl(), config.dbUser(), config.dbPassword(), 2)) {
      return action.apply(new OutboxAdmin(pool));
    }
  }

  @Command(name = "dead", mixinStandardHelpOptions = true, description = "List DEAD rows (never published).")
  static final class Dead implements Callable<Integer> {
    @Option(names = "--limit", defaultValue = "100", description = "At most this many rows (default 100).")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      if (limit < 1) {
        throw new UserInputException("--limit must be >= 1, got " + limit);
      }
      List<DeadMessage> dead = withAdmin(CjCommand.environment(), admin -> admin.dead(limit));
      PrintWriter out = spec.commandLine().getOut();
      out.println("id,event_id,event_type,topic,attempts,created_at,last_error");
      for (DeadMessage d : dead) {
        out.println(String.join(",", Long.toString(d.id()), d.eventId().toString(), d.eventType(), d.topic(),
            Integer.toString(d.attempts()), String.valueOf(d.createdAt()),
            '"' + String.valueOf(d.lastError()).replace("\"", "'") + '"'));
      }
      out.flush();
      spec.commandLine().getErr().println("cj outbox: " + dead.size() + " dead row(s)");
      return 0;
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true,
      description = "Put a DEAD row (or with --all every DEAD row) back to PENDING with its attempts reset; the relay "
          + "publishes it again.")
  static final class Retry implements Callable<Integer> {
    @Parameters(paramLabel = "ID", arity = "0..1", description = "The outbox row id (from cj outbox dead).")
    Long id;

    @Option(names = "--all", description = "Re-drive every DEAD row, in one statement.")
    boolean all;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      if (all == (id != null)) {
        throw new UserInputException("give either a row ID or --all (see: cj outbox retry --help)");
      }
      if (all) {
        int retried = withAdmin(CjCommand.environment(), OutboxAdmin::retryAll);
        spec.commandLine().getOut().println(retried);
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println("cj outbox: " + retried + " DEAD row(s) are PENDING again");
        return 0;
      }
      if (!withAdmin(CjCommand.environment(), admin -> admin.retry(id))) {
        throw new UserInputException("no DEAD outbox row with id " + id + " (see: cj outbox dead)");
      }
      spec.commandLine().getErr().println("cj outbox: row " + id + " is PENDING again");
      return 0;
    }
  }

  @Command(name = "counts", mixinStandardHelpOptions = true, description = "Rows by status.")
  static final class Counts implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      Map<OutboxStatus, Long> counts = withAdmin(CjCommand.environment(), OutboxAdmin::counts);
      counts.forEach((status, n) -> spec.commandLine().getOut().println(status + "," + n));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
