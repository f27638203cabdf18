package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cjassessment.app.runtime.ServiceConfig;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurement behind {@code cj bench restart} on the shared broker: {@code cj serve} as a child JVM, kill -9, a
 * judge answer produced while it is down, a restart under the same instance name; the answer is applied by the new
 * process. The bound is generous (the figure itself is measured by the bench, docs/BENCHMARKS.md) but far below the
 * 60 s session timeout set here, which a restarted dynamic member would have to wait out before it got partitions.
 */
@ExtendWith(SharedInfrastructure.class)
class BenchRestartTest {

  @Test
  void theRestartedServiceAppliesTheAnswerThatWaitedOnTheTopic(@TempDir Path dir) throws Exception {
    Map<String, String> env = new HashMap<>(CliRun.sharedInfrastructure("bench-restart"));
    env.remove("CJ_CREATE_TOPICS");
    env.put("CJ_KAFKA_SESSION_TIMEOUT_SECONDS", "60");
    SharedInfrastructure.kafka().createTopics(3, ServiceConfig.fromEnvironment(env).settings().topics().all());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<List<BenchRestart.Restart>> figures = BenchRestart.measure(env, List.of(""), 1, dir,
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    BenchRestart.Restart restart = figures.get(0).get(0);
    assertThat(restart.firstRecordApplied()).as("seconds from the restart to the first record applied")
        .isPositive().isLessThan(30);
    assertThat(restart.ready()).isPositive().isLessThan(30);
    // The figure (the service's answered_at) against the bench's own reading of the same moment: the bench polls, so
    // it sees the answer at or after the service applied it, and not long after.
    assertThat(restart.seenApplied()).isGreaterThanOrEqualTo(restart.firstRecordApplied() - 0.05)
        .isLessThan(restart.firstRecordApplied() + 5);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("restart 1 [default JVM flags]: first record applied");
  }
}
