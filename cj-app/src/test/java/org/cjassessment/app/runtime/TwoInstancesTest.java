package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.service.Topics;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two service instances on one database and one consumer group (same JVM, separate pools, relays, consumers and
 * monitors sweeping every second), a judge that answers every request three times, and every request event sent
 * twice: still exactly one record per batch on each output topic, and the outbox audit reads 1.0.
 */
@ExtendWith(SharedInfrastructure.class)
class TwoInstancesTest {

  private static final int BATCHES = 12;

  @Test
  void twoInstancesStillPublishEachEventExactlyOnce() throws Exception {
    Topics topics = Runtimes.freshTopics("two");
    TestDatabase db = SharedInfrastructure.freshDatabase();
    try (ServiceRuntime first = ServiceRuntime.start(Runtimes.config(db, topics, "one"));
        ServiceRuntime second = ServiceRuntime.start(Runtimes.config(db, topics, "two"));
        TestJudge judge = new TestJudge(SharedInfrastructure.bootstrapServers(), topics.comparisonRequests(), 3);
        KafkaProducer<byte[], byte[]> producer = Runtimes.producer()) {
      for (int i = 0; i < BATCHES; i++) {
        byte[] request = Runtimes.requestEvent("two-" + i, "evt-two-" + i, 6, Map.of("A_x", "A", "F_y", "F"), 12);
        Runtimes.send(producer, topics.requests(), request);
        Runtimes.send(producer, topics.requests(), request);
      }
      await().atMost(Duration.ofSeconds(120)).until(() -> first.jdbi().withHandle(h -> h.createQuery(
          "SELECT count(*) FROM batches WHERE state = 'COMPLETED'").mapTo(Integer.class).one()) == BATCHES);
      Runtimes.awaitOutboxDrained(first.jdbi());

      int batches = first.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM batches")
          .mapTo(Integer.class).one());
      assertThat(batches).isEqualTo(BATCHES);
      for (String topic : List.of(topics.completed(), topics.results(), topics.resourceConsumption())) {
        Map<String, Integer> perBatch = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : Runtimes.readAll(topic)) {
          perBatch.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        assertThat(perBatch).as(topic).hasSize(BATCHES);
        assertThat(perBatch.values()).as(topic).containsOnly(1);
      }
      assertThat(Runtimes.readAll(topics.failed())).isEmpty();
      // Both instances took part (the consumer group split the partitions, or the sweeps raced).
      List<Double> ratios = first.jdbi().withHandle(h -> h.createQuery("""
              SELECT count(*)::float / count(DISTINCT aggregate_id) FROM outbox
              WHERE topic IN (<topics>) GROUP BY event_type
              """).bindList("topics", List.of(topics.completed(), topics.results(), topics.resourceConsumption()))
          .mapTo(Double.class).list());
      assertThat(ratios).hasSize(3).containsOnly(1.0);
    }
  }
}
