package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.cjassessment.consumers.credits.CreditsLedger;
import org.cjassessment.consumers.lifecycle.EssayLifecycle;
import org.cjassessment.consumers.results.ResultsStore;
import org.cjassessment.inbox.InboxStats;
import org.cjassessment.service.Json;
import org.cjassessment.service.Topics;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The "Done when": service → topics → the three reference consumers, with every output record delivered
 * twice (each re-produced a second time, headers and all), and exactly one effect each. Then the duplicate audit of
 * the service's outbox shows 1.00 events per batch and exits 0.
 */
@ExtendWith(SharedInfrastructure.class)
class ConsumersEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int BATCHES = 3;
  private static final int STUDENTS = 6;

  @Test
  void everyOutputRecordDeliveredTwiceTakesEffectOnce() throws Exception {
    Topics topics = Runtimes.freshTopics("e2e-consumers");
    TestDatabase serviceDb = SharedInfrastructure.freshDatabase();
    TestDatabase consumersDb = SharedInfrastructure.freshDatabase(); // the consumers are other services
    ServiceConfig config = Runtimes.config(serviceDb, topics, "e2e");
    String deadLetters = SharedInfrastructure.freshTopic("e2e-consumers.dlq");
    Map<String, String> env = new HashMap<>(ServiceConfig.infrastructure(consumersDb.jdbcUrl(),
        consumersDb.username(), consumersDb.password(), SharedInfrastructure.bootstrapServers()));
    env.put("CJ_TOPIC_REQUESTS", topics.requests());
    env.put("CJ_TOPIC_COMPLETED", topics.completed());
    env.put("CJ_TOPIC_FAILED", topics.failed());
    env.put("CJ_TOPIC_RESULTS", topics.results());
    env.put("CJ_TOPIC_RESOURCE_CONSUMPTION", topics.resourceConsumption());
    env.put("CJ_CONSUMERS_DEAD_LETTER_TOPIC", deadLetters);
    env.put("CJ_CONSUMERS_GROUP_PREFIX", "e2e-consumers");
    env.put("CJ_CREDITS_OPENING_BALANCE", "100000");

    java.nio.file.Path jsonLog = java.nio.file.Files.createTempFile("cj-e2e", ".jsonl");
    JsonLogCapture capture = JsonLogCapture.start("cj.events", jsonLog);
    try (capture;
        ServiceRuntime service = ServiceRuntime.start(config);
        TestJudge judge = new TestJudge(SharedInfrastructure.bootstrapServers(), topics.comparisonRequests(), 1);
        KafkaProducer<byte[], byte[]> producer = Runtimes.producer();
        ConsumersRuntime consumers = ConsumersRuntime.start(ConsumersConfig.fromEnvironment(env))) {
      for (int b = 1; b <= BATCHES; b++) {
        Runtimes.send(producer, topics.requests(), Runtimes.requestEvent("bos-e2e-" + b, "req-e2e-" + b, STUDENTS,
            Map.of("A_top", "A", "F_low", "F"), 20));
      }
      await().atMost(WAIT)
          .until(() -> count(service.jdbi(), "SELECT count(*) FROM batches WHERE state = 'COMPLETED'") == BATCHES);
      Runtimes.awaitOutboxDrained(service.jdbi());

      // Deliver every output record (and every request) a second time, exactly as it was.
      int records = 0;
      for (String topic : List.of(topics.requests(), topics.completed(), topics.failed(), topics.results(),
          topics.resourceConsumption())) {
        for (ConsumerRecord<byte[], byte[]> r : Runtimes.readAll(topic)) {
          ProducerRecord<byte[], byte[]> again = new ProducerRecord<>(topic, null, r.key(), r.value(), r.headers());
          producer.send(again).get();
          records++;
        }
      }
      assertThat(records).isEqualTo(4 * BATCHES); // request, completed, result, billing per batch

      InboxStats credits = consumers.consumers().stats(CreditsLedger.NAME);
      InboxStats results = consumers.consumers().stats(ResultsStore.NAME);
      InboxStats lifecycle = consumers.consumers().stats(EssayLifecycle.NAME);
      await().atMost(WAIT).until(() -> credits.duplicates() == BATCHES && results.duplicates() == BATCHES
          && lifecycle.duplicates() == 2 * BATCHES);
      assertThat(credits.applied()).isEqualTo(BATCHES);
      assertThat(results.applied()).isEqualTo(BATCHES);
      assertThat(lifecycle.applied()).isEqualTo(2 * BATCHES);

      Jdbi c = consumers.jdbi();
      long billed = 0;
      for (ConsumerRecord<byte[], byte[]> r : Runtimes.readAll(topics.resourceConsumption())) {
        billed += Json.mapper().readTree(r.value()).get("data").get("quantity").asLong();
      }
      billed /= 2; // each record is on the topic twice
      assertThat(count(c, "SELECT count(*) FROM credit_operations WHERE outcome = 'CHARGED'")).isEqualTo(BATCHES);
      assertThat(count(c, "SELECT balance FROM credit_balances WHERE subject_type = 'org' AND subject_id = 'school-1'"))
          .isEqualTo(100_000 - billed);
      assertThat(count(c, "SELECT count(*) FROM completed_jobs")).isEqualTo(BATCHES);
      assertThat(count(c, "SELECT count(*) FROM essay_results")).isEqualTo(BATCHES * STUDENTS);
      assertThat(count(c, "SELECT count(*) FROM result_conflicts")).isZero();
      assertThat(count(c, "SELECT count(*) FROM phase_outcomes WHERE outcome = 'COMPLETED'")).isEqualTo(BATCHES);
      assertThat(count(c, "SELECT count(*) FROM essay_states WHERE state = 'CJ_SUCCESS'"))
          .isEqualTo(BATCHES * STUDENTS);
      assertThat(credits.deadLettered() + results.deadLettered() + lifecycle.deadLettered()).isZero();

      // The service's own outbox: one completion event per batch, exit 0.
      org.cjassessment.app.CjCommandAccess.useEnvironment(Map.of("CJ_DB_USER", serviceDb.username(),
          "CJ_DB_PASSWORD", serviceDb.password()));
      try {
        StringWriter out = new StringWriter();
        var cli = org.cjassessment.app.CjCommandAccess.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int exit = cli.execute("audit", "duplicates", "--db", serviceDb.jdbcUrl());
        assertThat(out.toString()).contains("distinct batches         " + BATCHES + "\n")
            .contains("events per batch         1.00\n").contains("verdict: one event per batch");
        assertThat(exit).isZero();

        // The service's JSON log: one batch.finalized and one event.published (completion) line per batch, exit 0.
        capture.close();
        StringWriter logOut = new StringWriter();
        var logCli = org.cjassessment.app.CjCommandAccess.commandLine();
        logCli.setOut(new PrintWriter(logOut, true));
        logCli.setErr(new PrintWriter(new StringWriter(), true));
        int logExit = logCli.execute("audit", "logs", "--all", jsonLog.toString());
        assertThat(logOut.toString().lines().skip(1).toList())
            .containsExactlyInAnyOrder("bos-e2e-1,1,1,false", "bos-e2e-2,1,1,false", "bos-e2e-3,1,1,false");
        assertThat(logExit).isZero();
      } finally {
        org.cjassessment.app.CjCommandAccess.useEnvironment(null);
      }
    }
  }

  private static long count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
