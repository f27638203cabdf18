package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.service.Topics;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input on both inbound topics goes to the dead-letter topic with its reason, the service keeps running, and
 * no batch is half-applied: a good request sent after the bad ones still completes, and nothing else exists.
 */
@ExtendWith(SharedInfrastructure.class)
class BadInputTest {

  @Test
  void malformedAndInvalidEventsAreDeadLetteredAndNothingIsHalfApplied() throws Exception {
    Topics topics = Runtimes.freshTopics("bad");
    try (ServiceRuntime service = ServiceRuntime.start(Runtimes.config(SharedInfrastructure.freshDatabase(), topics,
        "bad"));
        TestJudge judge = new TestJudge(SharedInfrastructure.bootstrapServers(), topics.comparisonRequests(), 1);
        KafkaProducer<byte[], byte[]> producer = Runtimes.producer()) {
      // requests
      send(producer, topics.requests(), "{not json");
      send(producer, topics.requests(), "{\"event_id\":\"x1\",\"data\":{\"entity_id\":\"b\"}}"); // no user_id
      send(producer, topics.requests(), new String(Runtimes.requestEvent("bad-grade", "evt-bad-grade", 4,
          Map.of("A_1", "Z"), 10), StandardCharsets.UTF_8)); // anchor grade not on the scale
      // callbacks
      send(producer, topics.callbacks(), "[1,2,3]");
      send(producer, topics.callbacks(), callback(UUID.randomUUID().toString(), "\"Essay A\"", 4.0)); // unknown id
      send(producer, topics.callbacks(), callback("not-a-uuid", "\"Essay A\"", 4.0));
      send(producer, topics.callbacks(), callback(UUID.randomUUID().toString(), "\"Essay A\"", 9.5)); // confidence
      send(producer, topics.callbacks(), callback(UUID.randomUUID().toString(), "\"Essay C\"", 3.0));
      // and then a good request
      Runtimes.send(producer, topics.requests(), Runtimes.requestEvent("good", "evt-good", 4, Map.of(), 6));

      await().atMost(Duration.ofSeconds(90)).until(() -> FullLifecycleTest.state(service, "good")
          .equals("COMPLETED"));
      await().atMost(Duration.ofSeconds(30)).until(() -> Runtimes.readAll(topics.deadLetters()).size() == 8);
      List<ConsumerRecord<byte[], byte[]>> dead = Runtimes.readAll(topics.deadLetters());
      List<String> reasons = dead.stream().map(r -> Runtimes.header(r, "dlq_reason")).toList();
      assertThat(reasons).anyMatch(r -> r.contains("not valid JSON"))
          .anyMatch(r -> r.contains("user_id is missing"))
          .anyMatch(r -> r.contains("grade 'Z'") && r.contains("swedish_8_anchor"))
          .anyMatch(r -> r.contains("envelope is not a JSON object"))
          .anyMatch(r -> r.contains("unknown correlation_id"))
          .anyMatch(r -> r.contains("is not a UUID"))
          .anyMatch(r -> r.contains("confidence 9.5 is outside [1, 5]"))
          .anyMatch(r -> r.contains("\"Essay C\"") || r.contains("Essay C"));
      assertThat(dead).allSatisfy(r -> {
        assertThat(Runtimes.header(r, "dlq_source_topic")).isIn(topics.requests(), topics.callbacks());
        assertThat(Runtimes.header(r, "dlq_source_offset")).isNotBlank();
      });
      // Only the good batch exists: the invalid request wrote nothing at all.
      assertThat(FullLifecycleTest.batches(service)).isEqualTo(1);
      int essays = service.jdbi().withHandle(h -> h.createQuery(
          "SELECT count(*) FROM essays WHERE essay_id LIKE 'bad-grade%'").mapTo(Integer.class).one());
      assertThat(essays).isZero();
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String value) {
    Runtimes.send(producer, topic, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String callback(String correlationId, String winner, double confidence) {
    return """
        {"event_id":"%s","event_type":"huleedu.llm_provider.comparison_result.v1","correlation_id":"%s",
         "data":{"request_id":"r","correlation_id":"%s","winner":%s,"justification":"x","confidence":%s,
                 "provider":"mock","model":"m","response_time_ms":1,"cost_estimate":0.0}}
        """.formatted(UUID.randomUUID(), UUID.randomUUID(), correlationId, winner, confidence);
  }
}
