package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.cjassessment.outbox.JdbiOutboxStore;
import org.cjassessment.outbox.OutboxMessage;
import org.cjassessment.outbox.OutboxSchema;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** The operator's view of DEAD outbox rows: `cj outbox dead` shows them, `cj outbox retry ID` re-drives one, `--all` every one. */
@ExtendWith(SharedInfrastructure.class)
class OutboxCommandTest {

  private record Run(int exit, String out, String err) {}

  @AfterEach
  void restoreEnvironment() {
    CjCommand.useEnvironment(System::getenv);
  }

  private static Run run(String... args) {
    CommandLine cli = CjCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void deadRowsAreListedAndRedriven() {
    TestDatabase db = SharedInfrastructure.freshDatabase();
    OutboxSchema.migrate(db.dataSource());
    Jdbi jdbi = Jdbi.create(db.dataSource());
    UUID eventId = UUID.randomUUID();
    jdbi.useTransaction(h -> new JdbiOutboxStore().append(h, new OutboxMessage(eventId, "cj_batch", "b1",
        "huleedu.cj_assessment.completed.v1", "huleedu.cj_assessment.completed.v1", "b1", "c1",
        "{}".getBytes(StandardCharsets.UTF_8),
        Map.of("source_service", "cj", "schema_version", "1", "content_type", "application/json"))));
    long id = jdbi.withHandle(h -> h.createQuery("SELECT id FROM outbox WHERE event_id = :e").bind("e", eventId)
        .mapTo(Long.class).one());
    jdbi.useHandle(h -> h.execute(
        "UPDATE outbox SET status = 'DEAD', attempts = 12, last_error = 'RecordTooLargeException: too big' "
            + "WHERE id = ?",
        id));
    CjCommand.useEnvironment(() -> Map.of("CJ_DB_URL", db.jdbcUrl(), "CJ_DB_USER", db.username(),
        "CJ_DB_PASSWORD", db.password()));

    Run dead = run("outbox", "dead");
    assertThat(dead.exit()).isZero();
    assertThat(dead.out()).contains(id + "," + eventId + ",huleedu.cj_assessment.completed.v1", "12",
        "RecordTooLargeException: too big");
    assertThat(dead.err()).contains("1 dead row(s)");

    Run retry = run("outbox", "retry", Long.toString(id));
    assertThat(retry.exit()).isZero();
    assertThat(retry.err()).contains("row " + id + " is PENDING again");
    String status = jdbi.withHandle(h -> h.createQuery("SELECT status FROM outbox WHERE id = :id").bind("id", id)
        .mapTo(String.class).one());
    assertThat(status).isEqualTo("PENDING");
    assertThat(run("outbox", "counts").out()).contains("PENDING,1");

    Run again = run("outbox", "retry", Long.toString(id));
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("no DEAD outbox row with id " + id);
  }

  @Test
  void retryAllRedrivesEveryDeadRowAndSaysHowMany() {
    TestDatabase db = SharedInfrastructure.freshDatabase();
    OutboxSchema.migrate(db.dataSource());
    Jdbi jdbi = Jdbi.create(db.dataSource());
    for (int i = 0; i < 4; i++) {
      UUID eventId = UUID.randomUUID();
      jdbi.useTransaction(h -> new JdbiOutboxStore().append(h, new OutboxMessage(eventId, "cj_batch", "b" + eventId,
          "huleedu.cj_assessment.completed.v1", "huleedu.cj_assessment.completed.v1", "b" + eventId, "c1",
          "{}".getBytes(StandardCharsets.UTF_8),
          Map.of("source_service", "cj", "schema_version", "1", "content_type", "application/json"))));
    }
    // three DEAD, one still PENDING: --all touches only the DEAD ones
    jdbi.useHandle(h -> h.execute("UPDATE outbox SET status = 'DEAD', attempts = 12, last_error = 'x' "
        + "WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT 3)"));
    CjCommand.useEnvironment(() -> Map.of("CJ_DB_URL", db.jdbcUrl(), "CJ_DB_USER", db.username(),
        "CJ_DB_PASSWORD", db.password()));

    Run all = run("outbox", "retry", "--all");
    assertThat(all.exit()).isZero();
    assertThat(all.out().trim()).isEqualTo("3");
    assertThat(all.err()).contains("3 DEAD row(s) are PENDING again");
    assertThat(run("outbox", "counts").out()).contains("PENDING,4", "DEAD,0");
    long attempts =
        jdbi.withHandle(h -> h.createQuery("SELECT sum(attempts) FROM outbox").mapTo(Long.class).one());
    assertThat(attempts).as("back to the start of the ladder").isZero();

    Run none = run("outbox", "retry", "--all");
    assertThat(none.exit()).isZero();
    assertThat(none.out().trim()).isEqualTo("0");

    Run both = run("outbox", "retry", "--all", "7");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("either a row ID or --all");
    assertThat(run("outbox", "retry").exit()).isEqualTo(2);
  }

  @Test
  void withoutADatabaseItSaysWhatToSet() {
    CjCommand.useEnvironment(Map::of);
    Run r = run("outbox", "dead");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("set CJ_DB_URL");
  }
}
