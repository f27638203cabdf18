package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.service.Topics;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform deployment: {@code cj serve} and {@code cj judge} as two separate JVMs (started from this build's
 * classpath), sharing one Kafka broker and an external PostgreSQL (the test's shared servers, passed by
 * {@code CJ_DB_URL} and {@code CJ_KAFKA_BOOTSTRAP_SERVERS}). A request event in, the batch completes, exactly one
 * completion event out.
 */
@ExtendWith(SharedInfrastructure.class)
class ServeAndJudgeProcessesTest {

  private CjProcesses cj;

  @AfterEach
  void stop() throws InterruptedException {
    if (cj != null) {
      cj.close(); // SIGTERM: the shutdown hooks close the worker and the service; SIGKILL after 30 s
    }
  }

  @Test
  void aBatchCompletesWithServeAndJudgeInTwoProcesses(@TempDir Path dir) throws Exception {
    cj = new CjProcesses(dir);
    Topics topics = Runtimes.freshTopics("two-proc");
    SharedInfrastructure.kafka().createTopics(3, topics.all());
    TestDatabase db = SharedInfrastructure.freshDatabase();
    StringBuilder truth = new StringBuilder("essay_id,ability\n");
    for (int i = 0; i < 8; i++) {
      truth.append("bos-2p-s%02d,%.2f%n".formatted(i, i * 0.4));
    }
    truth.append("A_top,4.0\nF_low,-1.0\nC_mid,1.5\n");
    Path truthFile = Files.writeString(dir.resolve("truth.csv"), truth);

    Map<String, String> serveEnv = new java.util.HashMap<>(ServiceConfig.infrastructure(db.jdbcUrl(),
        db.username(), db.password(), SharedInfrastructure.bootstrapServers()));
    serveEnv.putAll(topicVariables(topics));
    serveEnv.put("CJ_CREATE_TOPICS", "true");
    serveEnv.put("CJ_HTTP_PORT", "0");
    serveEnv.put("CJ_AUTH", "none"); // the HTTP API is unused here and listens on loopback (the default host)
    serveEnv.put("CJ_INSTANCE_NAME", "two-proc-serve");
    serveEnv.put("CJ_CONSUMER_GROUP", topics.requests() + ".group"); // static members: a group of its own
    Process serve = cj.start("serve", serveEnv, "serve");
    Process judge = cj.start("judge", Map.of(
        "CJ_KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.bootstrapServers(),
        "CJ_TOPIC_COMPARISON_REQUESTS", topics.comparisonRequests(),
        "CJ_JUDGE_PROVIDER", "simulated",
        "CJ_JUDGE_TRUTH_FILE", truthFile.toString(),
        "CJ_JUDGE_GROUP_ID", "two-proc-judge",
        "CJ_JUDGE_CONCURRENCY", "4"), "judge");

    Jdbi jdbi = Jdbi.create(db.dataSource());
    // the service has migrated its schema once the batches table exists
    await().atMost(Duration.ofSeconds(120)).ignoreException(UnableToExecuteStatementException.class).until(() -> {
      assertThat(serve.isAlive()).as(() -> "cj serve exited: " + cj.log("serve")).isTrue();
      assertThat(judge.isAlive()).as(() -> "cj judge exited: " + cj.log("judge")).isTrue();
      return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM batches").mapTo(Integer.class).one()) >= 0;
    });
    try (KafkaProducer<byte[], byte[]> producer = Runtimes.producer()) {
      Runtimes.send(producer, topics.requests(), Runtimes.requestEvent("bos-2p", "evt-2p", 8,
          JudgeWorkerWithServiceTest.ANCHORS, 30));
    }
    await().atMost(Duration.ofSeconds(180)).until(() -> {
      assertThat(serve.isAlive()).as(() -> "cj serve exited: " + cj.log("serve")).isTrue();
      assertThat(judge.isAlive()).as(() -> "cj judge exited: " + cj.log("judge")).isTrue();
      return jdbi.withHandle(h -> h.createQuery("SELECT coalesce(max(state), '') FROM batches")
          .mapTo(String.class).one()).equals("COMPLETED");
    });
    Integer simulated = jdbi.withHandle(h -> h.createQuery(
        "SELECT count(*) FROM comparisons WHERE status = 'JUDGED' AND provider = 'simulated'"
            + " AND judge_probability_a IS NOT NULL")
        .mapTo(Integer.class).one());
    assertThat(simulated).isPositive();
    Runtimes.awaitOutboxDrained(jdbi);
    assertThat(Runtimes.readAll(topics.completed())).hasSize(1);
    assertThat(Runtimes.readAll(topics.deadLetters())).isEmpty();
  }

  private static Map<String, String> topicVariables(Topics t) {
    return Map.of("CJ_TOPIC_REQUESTS", t.requests(), "CJ_TOPIC_CALLBACKS", t.callbacks(),
        "CJ_TOPIC_COMPLETED", t.completed(), "CJ_TOPIC_FAILED", t.failed(), "CJ_TOPIC_RESULTS", t.results(),
        "CJ_TOPIC_RESOURCE_CONSUMPTION", t.resourceConsumption(),
        "CJ_TOPIC_COMPARISON_REQUESTS", t.comparisonRequests(), "CJ_TOPIC_DEAD_LETTERS", t.deadLetters());
  }
}
