package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** `cj audit duplicates` on a database seeded with the seed's shape: the seed's figures, exactly. */
@ExtendWith(SharedInfrastructure.class)
class AuditCommandTest {

  record Run(int exit, String out, String err) {}

  @AfterEach
  void restoreEnvironment() {
    CjCommand.useEnvironment(System::getenv);
  }

  static Run run(String... args) {
    CommandLine cli = CjCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  private static TestDatabase seeded(boolean upstream) {
    TestDatabase db = SharedInfrastructure.freshDatabase();
    Jdbi jdbi = Jdbi.create(db.dataSource());
    if (upstream) {
      SeedShape.upstream(jdbi);
    } else {
      SeedShape.nativeOutbox(jdbi, db.dataSource());
    }
    CjCommand.useEnvironment(() -> Map.of("CJ_DB_USER", db.username(), "CJ_DB_PASSWORD", db.password()));
    return db;
  }

  @Test
  void theUpstreamTableShowsTheSeedsFigures() {
    TestDatabase db = seeded(true);
    Run r = run("audit", "duplicates", "--db", db.jdbcUrl(), "--schema", "upstream");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("distinct batches         25\n")
        .contains("total events             119\n")
        .contains("duplicates               94\n")
        .contains("duplicate percentage     376.00 %\n")
        .contains("events per batch         4.76\n")
        .contains("batches with duplicates  2\n")
        .containsPattern(SeedShape.WORST + " +83 events  2025-11-15T18:59:43.007Z \\.\\. 2025-11-15T18:59:49.002Z  "
            + "span 6\\.0 s  gaps min 54 ms, median 55 ms, max 155 ms")
        .containsPattern(SeedShape.SPREAD + " +13 events  .*span 5d 23h 48m")
        .contains("94 gaps, min 54 ms, median 56 ms")
        .contains("67 under 100 ms")
        .contains("verdict: DUPLICATES");
    // an independent count in SQL agrees
    Jdbi jdbi = Jdbi.create(db.dataSource());
    String counts = jdbi.withHandle(h -> h.createQuery("SELECT count(*) || '/' || count(DISTINCT aggregate_id) "
        + "FROM event_outbox WHERE event_type = 'huleedu.cj_assessment.completed.v1'").mapTo(String.class).one());
    assertThat(counts).isEqualTo("119/25");
  }

  @Test
  void jsonAndTheNativeTableAgree() throws Exception {
    TestDatabase db = seeded(false);
    Run r = run("audit", "duplicates", "--db", db.jdbcUrl(), "--format", "json");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("distinct_batches").asLong()).isEqualTo(25);
    assertThat(j.get("total_events").asLong()).isEqualTo(119);
    assertThat(j.get("duplicates").asLong()).isEqualTo(94);
    assertThat(j.get("duplicate_percentage").asDouble()).isEqualTo(376.0);
    assertThat(j.get("events_per_batch").asDouble()).isEqualTo(4.76);
    JsonNode worst = j.get("worst_batches").get(0);
    assertThat(worst.get("aggregate_id").asText()).isEqualTo(SeedShape.WORST);
    assertThat(worst.get("events").asLong()).isEqualTo(83);
    assertThat(worst.get("span_seconds").asDouble()).isEqualTo(5.995);
    assertThat(worst.get("gap_min_ms").asDouble()).isEqualTo(54.0);
    assertThat(worst.get("gap_max_ms").asDouble()).isEqualTo(155.0);
  }

  @Test
  void sinceNarrowsTheWindow() {
    TestDatabase db = seeded(true);
    Run r = run("audit", "duplicates", "--db", db.jdbcUrl(), "--schema", "upstream", "--since", "2025-11-15");
    assertThat(r.out()).contains("distinct batches         2\n").contains("total events             96\n");
  }

  @Test
  void cleanRemovesOnlyUnpublishedDuplicatesKeepingTheOldest() {
    for (boolean upstream : new boolean[] {true, false}) {
      TestDatabase db = seeded(upstream);
      String schema = upstream ? "upstream" : "native";
      Run dry = run("audit", "duplicates", "--db", db.jdbcUrl(), "--schema", schema, "--clean");
      assertThat(dry.exit()).isEqualTo(1);
      assertThat(dry.out().lines().filter(l -> l.startsWith("would remove "))).hasSize(12);
      assertThat(dry.err()).contains("would remove (dry run; add --yes) 12 unpublished duplicate row(s)");

      Run wet = run("audit", "duplicates", "--db", db.jdbcUrl(), "--schema", schema, "--clean", "--yes");
      assertThat(wet.out().lines().filter(l -> l.startsWith("removed "))).hasSize(12);
      assertThat(wet.out()).contains("total events             107\n"); // published duplicates stay
      assertThat(wet.exit()).isEqualTo(1);
      Run again = run("audit", "duplicates", "--db", db.jdbcUrl(), "--schema", schema, "--clean", "--yes");
      assertThat(again.err()).contains("removed 12".replace("12", "0"));
      // batch-1's only event is unpublished and is kept
      String table = upstream ? "event_outbox" : "outbox";
      int kept = Jdbi.create(db.dataSource()).withHandle(h -> h.createQuery(
          "SELECT count(*) FROM " + table + " WHERE aggregate_id = 'batch-1'").mapTo(Integer.class).one());
      assertThat(kept).isEqualTo(1);
    }
  }

  @Test
  void mistakesExitWithTwoAndOneLine() {
    CjCommand.useEnvironment(Map::of);
    assertThat(run("audit", "duplicates").err()).contains("no database: pass --db");
    assertThat(run("audit", "duplicates", "--db", "jdbc:postgresql://x/y", "--schema", "python").exit()).isEqualTo(2);
    assertThat(run("audit", "duplicates", "--db", "mysql://x", "--since", "yesterday").exit()).isEqualTo(2);
    TestDatabase empty = SharedInfrastructure.freshDatabase();
    CjCommand.useEnvironment(() -> Map.of("CJ_DB_USER", empty.username(), "CJ_DB_PASSWORD", empty.password()));
    Run missing = run("audit", "duplicates", "--db", empty.jdbcUrl(), "--schema", "upstream");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("cj audit duplicates: cannot read table event_outbox").doesNotContain("\tat ");
    assertThat(AuditCommand.parseSince("24h", Instant.parse("2025-11-16T00:00:00Z")))
        .isEqualTo(Instant.parse("2025-11-15T00:00:00Z"));
  }
}
