package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cjassessment.service.Topics;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code cj serve} and a restart under the same {@code CJ_INSTANCE_NAME}: with static group
 * membership the restarted consumers take their partitions back at once instead of waiting for the dead members'
 * sessions to time out. Measured from the restart's process start to {@code /readyz} 200, which needs both consumers
 * to own partitions. The session timeout is set far above the bound, so a dynamic member (which has to wait for the
 * dead one's session to expire) cannot pass.
 */
@ExtendWith(SharedInfrastructure.class)
class CrashRestartTest {

  private static final Pattern READY_LINE = Pattern.compile("ready: http://[^:]+:(\\d+)");

  private CjProcesses cj;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws InterruptedException {
    if (cj != null) {
      cj.close(); // SIGTERM: the shutdown hooks close the worker and the service; SIGKILL after 30 s
    }
  }

  @Test
  void afterKillNineTheSameInstanceOwnsItsPartitionsAgainWithinSeconds(@TempDir Path dir) throws Exception {
    cj = new CjProcesses(dir);
    Topics topics = Runtimes.freshTopics("restart");
    SharedInfrastructure.kafka().createTopics(3, topics.all());
    TestDatabase db = SharedInfrastructure.freshDatabase();
    Map<String, String> env = new HashMap<>(Runtimes.environment(db, topics, "restart-serve"));
    env.put("CJ_KAFKA_SESSION_TIMEOUT_SECONDS", "60");

    Process first = cj.start("first", env, "serve");
    int port = awaitReady("first", first, Duration.ofSeconds(180));
    assertThat(port).isPositive();
    first.destroyForcibly(); // SIGKILL: no LeaveGroup, the broker still counts the old members
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

    long started = System.nanoTime();
    Process second = cj.start("second", env, "serve");
    awaitReady("second", second, Duration.ofSeconds(55));
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("restart after kill -9: /readyz READY (partitions owned) %.1f s after the process start%n",
        seconds);
    assertThat(seconds).as("seconds from restart to owning partitions").isLessThan(15);
  }

  /** Waits for the "ready" log line, then for /readyz 200; returns the HTTP port. */
  private int awaitReady(String name, Process p, Duration atMost) {
    int[] port = {0};
    await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
      assertThat(p.isAlive()).as(() -> "cj serve exited: " + cj.log(name)).isTrue();
      if (port[0] == 0) {
        Matcher m = READY_LINE.matcher(cj.log(name));
        if (!m.find()) {
          return false;
        }
        port[0] = Integer.parseInt(m.group(1));
      }
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port[0] + "/readyz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      }
    });
    return port[0];
  }

}
