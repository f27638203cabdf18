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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cjassessment.service.Json;
import org.cjassessment.testing.llm.Answer;
import org.cjassessment.testing.llm.FakeOpenAiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resume promise, with a real process death: {@code cj assess} runs as a child JVM (its own embedded PostgreSQL
 * and Kafka under {@code --out}) against a fake OpenAI-compatible provider that counts calls; it is killed with
 * SIGKILL once some comparisons were judged — no shutdown hook runs, the PostgreSQL server it started is left
 * running — and started again with the same arguments.
 *
 * <p>The kill comes at the worst moment for "never paid twice": one provider call (the {@value #STRAGGLER}th)
 * hangs, so the judge worker cannot commit the offsets of the requests behind it (it commits an unbroken run of
 * answered records only) although their answers were published — the gap between "provider answered" and "offset
 * committed". After the restart those requests are consumed again; the journal answers them. The bound: every
 * comparison is asked once, except calls in flight at the kill (here the straggler): calls − answered comparisons
 * ≤ calls the fake had received − answers in the journal at the kill. (Without the journal the requests behind
 * the straggler are asked again and the test fails: checked by disabling the journal lookup.)
 */
class AssessResumeTest {

  private static final int CONCURRENCY = 4;
  /** This call hangs until the test ends. Wave 1 has 7 comparisons, so it is in wave 2. */
  static final int STRAGGLER = 10;

  @TempDir
  Path out;

  @Test
  void killedMidRunAndStartedAgainItFinishesTheSameBatchWithoutPayingTwice() throws Exception {
    Path sample = AssessCommandTest.SAMPLE.toAbsolutePath().normalize();
    try (FakeOpenAiServer fake = new FakeOpenAiServer()) {
      fake.latency(Duration.ofMillis(150));
      fake.expectApiKey("resume-key");
      AtomicInteger seen = new AtomicInteger();
      CountDownLatch release = new CountDownLatch(1);
      fake.answers((a, b) -> {
        if (seen.incrementAndGet() == STRAGGLER) {
          try {
            release.await(10, TimeUnit.MINUTES); // a provider that never answers this one
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return Answer.longerWins(a, b);
      });

      Process first = start(fake, sample, out.resolve("run1.log"));
      Path journal = out.resolve("journal.jsonl");
      // every call but the straggler answered, and some of them behind it (uncommitted)
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
          .until(() -> !first.isAlive() || lines(journal) >= STRAGGLER + 2 && fake.calls() - lines(journal) == 1);
      assertThat(first.isAlive()).as("the first run ended before it could be killed: "
          + Files.readString(out.resolve("run1.log"))).isTrue();
      first.destroyForcibly(); // SIGKILL
      assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
      int answeredAtKill = lines(journal);
      int callsAtKill = fake.calls();
      assertThat(answeredAtKill).isBetween(STRAGGLER + 2, 74);

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
      assertThat(inFlightAtKill).isEqualTo(1);
      assertThat(fake.calls()).as("calls at kill %d, answered then %d", callsAtKill, answeredAtKill)
          .isGreaterThanOrEqualTo(answered)
          .isLessThanOrEqualTo(answered + inFlightAtKill);
      assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(1 + 15);
      // the answers behind the straggler came from the journal
      java.util.regex.Matcher replays = java.util.regex.Pattern.compile("instead of the provider: (\\d+)").matcher(log);
      assertThat(replays.find()).as(log).isTrue();
      assertThat(Integer.parseInt(replays.group(1))).isGreaterThanOrEqualTo(2);
      release.countDown();
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
    env.put("CJ_JUDGE_TIMEOUT_SECONDS", "600"); // the straggler hangs until the kill
    env.put("CJ_TOPIC_PARTITIONS", "1"); // every request behind the straggler is held back by it
    return builder.start();
  }

  private static int lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }
}
