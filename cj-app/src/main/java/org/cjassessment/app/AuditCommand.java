package org.cjassessment.app;

import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cjassessment.app.audit.AuditSchema;
import org.cjassessment.app.audit.DuplicateAudit;
import org.cjassessment.app.audit.DuplicateReport;
import org.cjassessment.app.audit.DuplicateStats;
import org.cjassessment.app.audit.LogAudit;
import org.cjassessment.service.Database;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Measure duplicate events: in an outbox table (ours or the upstream service's) or in JSON logs.",
    subcommands = {AuditCommand.Duplicates.class, AuditCommand.Logs.class})
final class AuditCommand implements Runnable {

  static final String COMPLETED = "huleedu.cj_assessment.completed.v1";

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "duplicates", mixinStandardHelpOptions = true,
      description = {
          "The seed's validation statistics over an outbox: distinct batches, events, duplicates, duplicate",
          "percentage, events per batch, the worst batches and the spacing of consecutive duplicates.",
          "Exit 0 when every batch has one event, 1 when duplicates exist (a deployment gate), 2 on a mistake.",
          "--clean removes UNPUBLISHED duplicates keeping the oldest row, in one transaction; a dry run unless --yes."})
  static final class Duplicates implements Callable<Integer> {
    @Option(names = "--db", paramLabel = "JDBC_URL",
        description = "jdbc:postgresql://host:port/db (default: CJ_DB_URL; user and password from CJ_DB_USER, "
            + "CJ_DB_PASSWORD).")
    String db;

    @Option(names = "--schema", defaultValue = "native",
        description = "native (our outbox table) or upstream (the Python service's event_outbox). Default native.")
    String schema;

    @Option(names = "--event-type", defaultValue = COMPLETED,
        description = "Event type to audit (default ${DEFAULT-VALUE}).")
    String eventType;

    @Option(names = "--since", paramLabel = "TIME",
        description = "Only events written at or after TIME: an instant (2025-11-15T18:00:00Z), a date (UTC) or an "
            + "age (30m, 24h, 7d).")
    String since;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default text).")
    String format;

    @Option(names = "--clean", description = "List (or with --yes remove) unpublished duplicate rows.")
    boolean clean;

    @Option(names = "--yes", description = "With --clean: really delete.")
    boolean yes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      AuditSchema s = switch (schema.toLowerCase()) {
        case "native" -> AuditSchema.NATIVE;
        case "upstream" -> AuditSchema.UPSTREAM;
        default -> throw new UserInputException("--schema " + schema + ": use native or upstream");
      };
      if (!format.equals("text") && !format.equals("json")) {
        throw new UserInputException("--format " + format + ": use text or json");
      }
      if (yes && !clean) {
        throw new UserInputException("--yes only goes with --clean");
      }
      Instant from = since == null ? null : parseSince(since, Instant.now());
      Map<String, String> env = CjCommand.environment();
      String url = db != null ? db : env.get("CJ_DB_URL");
      if (url == null || url.isBlank()) {
        throw new UserInputException("no database: pass --db jdbc:postgresql://HOST:PORT/DB or set CJ_DB_URL");
      }
      if (!url.startsWith("jdbc:postgresql:")) {
        throw new UserInputException("--db " + url + ": expected a jdbc:postgresql://HOST:PORT/DB URL");
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      DuplicateAudit audit = new DuplicateAudit(s);
      try (HikariDataSource pool = Database.pool(url, env.getOrDefault("CJ_DB_USER", "postgres"),
          env.getOrDefault("CJ_DB_PASSWORD", ""), 2)) {
        Jdbi jdbi = Database.jdbi(pool);
        if (clean) {
          List<DuplicateAudit.Removable> rows = jdbi.inTransaction(h -> audit.clean(h, eventType, from, yes));
          for (DuplicateAudit.Removable r : rows) {
            out.println((yes ? "removed " : "would remove ") + r.id() + " " + r.aggregateId() + " " + r.createdAt());
          }
          out.flush();
          err.println("cj audit: " + (yes ? "removed " : "would remove (dry run; add --yes) ") + rows.size()
              + " unpublished duplicate row(s) of " + eventType + " from " + s.table());
        }
        DuplicateStats stats = jdbi.withHandle(h -> audit.stats(h, eventType, from));
        if (!clean || yes) {
          out.print(format.equals("json") ? DuplicateReport.json(s, eventType, from, stats)
              : DuplicateReport.text(s, eventType, from, stats));
          out.flush();
        }
        return stats.hasDuplicates() ? 1 : 0;
      } catch (ConnectionException | com.zaxxer.hikari.pool.HikariPool.PoolInitializationException e) {
        throw new UserInputException("cannot connect to " + url + ": " + rootMessage(e));
      } catch (StatementException e) {
        throw new UserInputException("cannot read table " + s.table() + " (is --schema " + s.label()
            + " right?): " + rootMessage(e));
      }
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true,
      description = {
          "The seed's log check over JSON logs of cj serve (CJ_LOG_APPENDER=JSON): per batch, the batch.finalized",
          "lines and the event.published lines of the audited event type. Flags any batch above one.",
          "Exit 0 when no batch is flagged, 1 when one is, 2 when a file cannot be read."})
  static final class Logs implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "JSON log files (one object per line).")
    List<Path> files;

    @Option(names = "--event-type", defaultValue = COMPLETED,
        description = "Publications of this event type are counted (default ${DEFAULT-VALUE}).")
    String eventType;

    @Option(names = "--all", description = "List every batch, not only the flagged ones.")
    boolean all;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      LogAudit audit = new LogAudit(eventType);
      for (Path file : files) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          audit.read(in);
        } catch (java.nio.file.NoSuchFileException e) {
          throw new UserInputException(file + ": no such file", e);
        } catch (IOException e) {
          throw new UserInputException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("batch_id,finalizations,publications,flagged");
      audit.perBatch().forEach((batch, c) -> {
        if (all || c.flagged()) {
          out.println(batch + "," + c.finalizations() + "," + c.publications() + "," + c.flagged());
        }
      });
      out.flush();
      spec.commandLine().getErr().println("cj audit logs: " + audit.lines() + " lines (" + audit.skipped()
          + " not JSON), " + audit.perBatch().size() + " batches, " + audit.flagged()
          + " with more than one finalization or publication of " + eventType);
      return audit.flagged() > 0 ? 1 : 0;
    }
  }

  private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");

  /** An instant, a date (UTC midnight) or an age before {@code now}. */
  static Instant parseSince(String value, Instant now) {
    Matcher m = AGE.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return now.minus(d);
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notInstant) {
      try {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notDate) {
        throw new UserInputException("--since " + value
            + ": use an instant (2025-11-15T18:00:00Z), a date (2025-11-15) or an age (30m, 24h, 7d)");
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage()).lines().findFirst().orElse("");
  }
}
