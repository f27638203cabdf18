package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cjassessment.service.Json;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cj assess} on the committed sample folder (12 essays, 3 anchors), on the test JVM's shared PostgreSQL and
 * broker (CJ_DB_URL and CJ_KAFKA_BOOTSTRAP_SERVERS, as a user could point it at their own).
 */
@ExtendWith(SharedInfrastructure.class)
class AssessCommandTest {

  static final Path SAMPLE = Path.of("..", "examples", "essays");

  @TempDir
  Path out;

  @Test
  void theSampleFolderWithTheSimulatedJudgeAndRunningItAgainChangesNothing() throws Exception {
    Map<String, String> env = CliRun.sharedInfrastructure("assess-sim");
    String[] args = {"assess", SAMPLE.toString(), "--anchors", SAMPLE.resolve("anchors.csv").toString(),
        "--judge", "simulated", "--truth", SAMPLE.resolve("truth.csv").toString(), "--out", out.toString()};

    CliRun first = CliRun.run(env, args);
    assertThat(first.exit()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("Submitted batch assess-", "15 essays", "COMPLETED",
        "Reliability       split-half 0.",
        "Spearman vs truth", "Read from Kafka   completed 1, result 1, resource consumption 1, failed 0");
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertThat(csv).hasSize(1 + 15);
    assertThat(csv.stream().filter(l -> l.contains(",anchor,"))).hasSize(3);
    JsonNode summary = Json.mapper().readTree(out.resolve("results.json").toFile()).get("summary");
    int judged = summary.get("comparisons_judged").asInt();
    assertThat(judged).isEqualTo(75); // default budget: 10 per essay
    assertThat(summary.get("prompt_tokens").asLong()).isPositive();
    assertThat(Files.readAllLines(out.resolve("journal.jsonl"))).hasSize(judged);
    assertThat(Files.readString(out.resolve("summary.txt"))).contains("Tokens and cost");

    // Again with the same --out: the same batch, already complete; nothing is asked, nothing published again.
    CliRun second = CliRun.run(env, args);
    assertThat(second.exit()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).contains("Resuming the run in", "where it stopped",
        "Read from Kafka   completed 1, result 1, resource consumption 1, failed 0");
    assertThat(Files.readAllLines(out.resolve("journal.jsonl"))).hasSize(judged);
    assertThat(Files.readAllLines(out.resolve("results.csv"))).isEqualTo(csv);
  }
}
