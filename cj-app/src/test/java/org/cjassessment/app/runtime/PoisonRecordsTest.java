package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.cjassessment.service.Topics;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records that parse but that PostgreSQL refuses on every retry — a NUL byte in a text, a key too large for its
 * index, a timestamp past PostgreSQL's range — are dead-lettered with their reason, one by one, and the records
 * behind them on the same partition (and beside them in the same poll) are applied. Before, the whole poll was
 * rewound and retried forever: the partition stayed blocked.
 */
@ExtendWith(SharedInfrastructure.class)
class PoisonRecordsTest {

  private static final String SECRET = "Sensitive essay words";

  @Test
  void aRecordTheDatabaseRefusesIsDeadLetteredAndTheRestOfItsPartitionIsApplied() throws Exception {
    Topics topics = Runtimes.freshTopics("poison");
    try (ServiceRuntime service = ServiceRuntime.start(Runtimes.config(SharedInfrastructure.freshDatabase(), topics,
        "poison"));
        KafkaProducer<byte[], byte[]> producer = Runtimes.producer()) {
      // Requests, all on partition 0, the good one last.
      String nul = new String(Runtimes.requestEvent("nul", "evt-nul", 3, Map.of(), 4), StandardCharsets.UTF_8)
          .replace("Student essay 1 text.", SECRET + " with a NUL \\u0000 inside.");
      send(producer, topics.requests(), nul.getBytes(StandardCharsets.UTF_8));
      String hugeKey = new Random(1).ints(20_000, 'a', 'z' + 1)
          .mapToObj(c -> Character.toString((char) c)).collect(Collectors.joining());
      String huge = new String(Runtimes.requestEvent("huge", "evt-huge", 3, Map.of(), 4), StandardCharsets.UTF_8)
          .replace("\"entity_id\":\"huge\"", "\"entity_id\":\"" + hugeKey + "\"");
      send(producer, topics.requests(), huge.getBytes(StandardCharsets.UTF_8));
      send(producer, topics.requests(), Runtimes.requestEvent("good", "evt-good", 4, Map.of(), 2));

      await().atMost(Duration.ofSeconds(60)).until(() -> pending(service).size() == 2);
      List<String> pending = pending(service);
      // Callbacks, all on partition 0: a poisoned answer before a good one for each pending comparison.
      send(producer, topics.callbacks(), callback(pending.get(0), "clear\\u0000er argument", Instant.now().toString()));
      send(producer, topics.callbacks(), callback(pending.get(0), "clearer argument", Instant.now().toString()));
      send(producer, topics.callbacks(), callback(pending.get(1), "clearer argument", "+300000-01-01T00:00:00Z"));
      send(producer, topics.callbacks(), callback(pending.get(1), "clearer argument", Instant.now().toString()));

      await().atMost(Duration.ofSeconds(60)).until(() -> FullLifecycleTest.state(service, "good")
          .equals("COMPLETED"));
      await().atMost(Duration.ofSeconds(30)).until(() -> Runtimes.readAll(topics.deadLetters()).size() == 4);
      List<ConsumerRecord<byte[], byte[]>> dead = Runtimes.readAll(topics.deadLetters());
      List<String> reasons = dead.stream().map(r -> Runtimes.header(r, "dlq_reason")).toList();
      // The NUL request is refused by the intake's checks (the HTTP API's 400), the NUL answer and the timestamp by
      // the database.
      assertThat(reasons).filteredOn(r -> r.contains("contains a NUL character")).hasSize(1);
      assertThat(reasons).filteredOn(r -> r.contains("SQLSTATE 22")).hasSize(2);
      assertThat(reasons).anyMatch(r -> r.contains("SQLSTATE 54000") || r.contains("entity_id")); // or a limit
      assertThat(dead).allSatisfy(r -> {
        for (Header h : r.headers()) {
          assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain(SECRET);
        }
      });
      // The poisoned request's upstream batch ends with its failure event, once (ELS must not wait for it forever).
      Runtimes.awaitOutboxDrained(service.jdbi());
      List<String> failedBatches = Runtimes.readAll(topics.failed()).stream()
          .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
      assertThat(failedBatches).containsExactly("nul");
      // The poisoned request's upstream batch gets its failure event (ELS must not wait for it forever).
      await().atMost(Duration.ofSeconds(30)).until(() -> Runtimes.readAll(topics.failed()).stream()
          .anyMatch(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals("nul")));
      // Nothing of the poisoned requests was half-applied; the good batch counted both good answers once.
      assertThat(FullLifecycleTest.batches(service)).isEqualTo(1);
      int judged = service.jdbi().withHandle(h -> h.createQuery(
          "SELECT judged FROM batches WHERE upstream_batch_id = 'good'").mapTo(Integer.class).one());
      assertThat(judged).isEqualTo(2);
    }
  }

  private static List<String> pending(ServiceRuntime service) {
    return service.jdbi().withHandle(h -> h.createQuery("""
            SELECT c.correlation_id::text FROM comparisons c JOIN batches b ON b.id = c.batch_id
            WHERE b.upstream_batch_id = 'good' AND c.status = 'PENDING' ORDER BY c.id
            """).mapTo(String.class).list());
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, 0, null, value)).get();
  }

  private static byte[] callback(String correlationId, String justification, String completedAt) {
    return """
        {"event_id":"%s","event_type":"huleedu.llm_provider.comparison_result.v1","correlation_id":"%s",
         "data":{"request_id":"r","correlation_id":"%s","winner":"Essay A","justification":"%s","confidence":4.0,
                 "provider":"mock","model":"m","response_time_ms":1,"cost_estimate":0.0,"completed_at":"%s"}}
        """.formatted(UUID.randomUUID(), UUID.randomUUID(), correlationId, justification, completedAt)
        .getBytes(StandardCharsets.UTF_8);
  }
}
