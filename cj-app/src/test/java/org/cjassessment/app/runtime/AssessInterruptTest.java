package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping {@code cj assess} (SIGTERM, as Ctrl-C stops it) says in one line how to continue, and not in a screen of
 * stack traces from the consumers, the relay and the main thread as the database goes down under them.
 */
class AssessInterruptTest {

  @TempDir
  Path dir;

  @Test
  void aStoppedRunSaysHowToContinueAndPrintsNoStackTraces() throws Exception {
    Path sample = Path.of("..", "examples", "essays").toAbsolutePath();
    Path out = dir.resolve("out");
    try (CjProcesses cj = new CjProcesses(dir)) {
      Process assess = cj.start("assess", Map.of("CJ_JUDGE_SIM_LATENCY_MS", "200"), "assess", sample.toString(),
          "--judge", "simulated", "--truth", sample.resolve("truth.csv").toString(), "--out", out.toString());
      await().atMost(Duration.ofSeconds(120)).until(() -> cj.log("assess").contains("progress: wave 2")
          || !assess.isAlive());
      assertThat(assess.isAlive()).as(cj.log("assess")).isTrue();
      assess.destroy(); // SIGTERM
      assertThat(assess.waitFor(90, TimeUnit.SECONDS)).isTrue();
      String log = cj.log("assess");
      assertThat(log).contains("Interrupted: run the same command again to continue where it stopped")
          .doesNotContain("Exception", "\tat ", " WARN ", " ERROR ");
    }
  }
}
