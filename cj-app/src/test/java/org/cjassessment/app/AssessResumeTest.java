package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cjassessment.service.Json;
import org.cjassessment.testing.llm.FakeOpenAiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resume promise, with a real process death: {@code cj assess} runs as a child JVM (its own embedded PostgreSQL
 * and Kafka under {@code --out}) against a fake OpenAI-compatible provider that counts calls; it is killed with
 * SIGKILL once some comparisons were judged — no shutdown hook runs, the PostgreSQL server it started is left
 * running — and started again with the same arguments.
 *
 * <p>The bound on provider calls: every comparison is asked once, except a call that was in flight at the kill
 * (answered or not, nothing was journaled): calls − answered comparisons ≤ the calls in flight at the kill
 * (calls the fake had received − answers in the journal, measured once the child is dead) ≤ CJ_JUDGE_CONCURRENCY.
 * Without the journal, comparisons whose answer was published but whose request offset was not yet committed
 * would be asked again too.
 */
class AssessResumeTest {

  private static final int CONCURRENCY = 4;

  @TempDir
  Path out;

  @Test
  void killedMidRunAndStartedAgainItFinishesTheSameBatchWithoutPayingTwice() throws Exception {
    Path sample = AssessCommandTest.SAMPLE.toAbsolutePath().normalize();
    try (FakeOpenAiServer fake = new FakeOpenAiServer()) {
      fake.latency(Duration.ofMillis(150)); // a run long enough to be killed in the middle of
      fake.expectApiKey("resume-key");

      Process first = start(fake, sample, out.resolve("run1.log"));
      Path journal = out.resolve("journal.jsonl");
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
          .until(() -> !first.isAlive() || lines(journal) >= 20);
      assertThat(first.isAlive()).as("the first run ended before it could be killed: "
          + Files.readString(out.resolve("run1.log"))).isTrue();
      first.destroyForcibly(); // SIGKILL
      assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
      int answeredAtKill = lines(journal);
      int callsAtKill = fake.calls();
      assertThat(answeredAtKill).isBetween(20, 74);

      Process second = start(fake, sample, out.resolve("run2.log"));
      assertThat(second.waitFor(6, TimeUnit.MINUTES)).as("second run finished").isTrue();
      String log = Files.readString(out.resolve("run2.log"));
      assertThat(second.exitValue()).as(log).isZero();

      assertThat(log).contains("Resuming the run in", "where it stopped", "COMPLETED",
          "Read from Kafka   completed 1, result 1, resource consumption 1, failed 0");
      JsonNode summary = Json.mapper().readTree(out.resolve("results.json").toFile()).get("summary");
      int answered = summary.get("comparisons_judged").asInt() + summary.get("comparisons_errored").asInt();
      assertThat(summary.get("comparisons_errored").asInt()).isZero();
      assertThat(lines(journal)).as("one journal line per answered comparison").isEqualTo(answered);
      assertThat(answered).isGreaterThan(answeredAtKill);
      int inFlightAtKill = callsAtKill - answeredAtKill;
      System.out.printf("resume: killed with %d answered and %d calls made (%d in flight); finished with %d "
          + "answered and %d calls%n", answeredAtKill, callsAtKill, inFlightAtKill, answered, fake.calls());
      assertThat(inFlightAtKill).isBetween(0, CONCURRENCY);
      assertThat(fake.calls()).as("calls at kill %d, answered then %d", callsAtKill, answeredAtKill)
          .isGreaterThanOrEqualTo(answered)
          .isLessThanOrEqualTo(answered + inFlightAtKill);
      assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(1 + 15);
    }
  }

  private Process start(FakeOpenAiServer fake, Path sample, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "-cp", System.getProperty("java.class.path"), CjCommand.class.getName(),
        "assess", sample.toString(), "--anchors", sample.resolve("anchors.csv").toString(), "--judge", "openai",
        "--out", out.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("CJ_"));
    env.put("CJ_JUDGE_BASE_URL", fake.baseUrl());
    env.put("CJ_JUDGE_MODEL", "fake-model");
    env.put("CJ_JUDGE_API_KEY", "resume-key");
    env.put("CJ_JUDGE_CONCURRENCY", Integer.toString(CONCURRENCY));
    return builder.start();
  }

  private static int lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }
}
