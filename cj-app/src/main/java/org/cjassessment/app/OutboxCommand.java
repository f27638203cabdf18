package org.cjassessment.app;

import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cjassessment.app.runtime.ServiceConfig;
import org.cjassessment.outbox.DeadMessage;
import org.cjassessment.outbox.OutboxAdmin;
import org.cjassessment.outbox.OutboxStatus;
import org.cjassessment.service.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "outbox",
    mixinStandardHelpOptions = true,
    description = "Operate the outbox of the database in CJ_DB_URL: list DEAD rows, re-drive one, count by status.",
    subcommands = {OutboxCommand.Dead.class, OutboxCommand.Retry.class, OutboxCommand.Counts.class})
final class OutboxCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  static <T> T withAdmin(java.util.function.Function<OutboxAdmin, T> action) {
    ServiceConfig config;
    try {
      config = ServiceConfig.fromEnvironment(System.getenv());
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

    @Override
    public Integer call() {
      List<DeadMessage> dead = withAdmin(admin -> admin.dead(limit));
      System.out.println("id,event_id,event_type,topic,attempts,created_at,last_error");
      for (DeadMessage d : dead) {
        System.out.println(String.join(",", Long.toString(d.id()), d.eventId().toString(), d.eventType(),
            d.topic(), Integer.toString(d.attempts()), String.valueOf(d.createdAt()),
            '"' + String.valueOf(d.lastError()).replace("\"", "'") + '"'));
      }
      System.err.println("cj outbox: " + dead.size() + " dead row(s)");
      return 0;
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true,
      description = "Put a DEAD row back to PENDING with its attempts reset; the relay publishes it again.")
  static final class Retry implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The outbox row id (from cj outbox dead).")
    long id;

    @Override
    public Integer call() {
      if (!withAdmin(admin -> admin.retry(id))) {
        throw new UserInputException("no DEAD outbox row with id " + id + " (see: cj outbox dead)");
      }
      System.err.println("cj outbox: row " + id + " is PENDING again");
      return 0;
    }
  }

  @Command(name = "counts", mixinStandardHelpOptions = true, description = "Rows by status.")
  static final class Counts implements Callable<Integer> {
    @Override
    public Integer call() {
      Map<OutboxStatus, Long> counts = withAdmin(OutboxAdmin::counts);
      counts.forEach((status, n) -> System.out.println(status + "," + n));
      return 0;
    }
  }
}
