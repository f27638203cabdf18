package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.service.Json;
import org.cjassessment.service.Topics;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed test plan, category 4 made strict, through the real broker: a request event in, a judge answering on the
 * callback topic (every answer delivered twice), and exactly one record per batch on each output topic with the
 * right contents and headers. A redelivered request creates nothing.
 */
@ExtendWith(SharedInfrastructure.class)
class FullLifecycleTest {

  @Test
  void aRequestBecomesExactlyOneCompletionResultAndBillingEvent() throws Exception {
    Topics topics = Runtimes.freshTopics("life");
    ServiceConfig config = Runtimes.config(SharedInfrastructure.freshDatabase(), topics, "life");
    Map<String, String> anchors = Map.of("A_top", "A", "F_low", "F", "C_mid", "C");
    try (ServiceRuntime service = ServiceRuntime.start(config);
        TestJudge judge = new TestJudge(SharedInfrastructure.bootstrapServers(), topics.comparisonRequests(), 2);
        KafkaProducer<byte[], byte[]> producer = Runtimes.producer()) {
      byte[] request = Runtimes.requestEvent("bos-1", "req-evt-1", 8, anchors, 30);
      Runtimes.send(producer, topics.requests(), request);
      await().atMost(Duration.ofSeconds(90)).until(() -> state(service, "bos-1").equals("COMPLETED"));
      Runtimes.send(producer, topics.requests(), request); // redelivery
      Runtimes.awaitOutboxDrained(service.jdbi());

      List<ConsumerRecord<byte[], byte[]>> completed = Runtimes.readAll(topics.completed());
      List<ConsumerRecord<byte[], byte[]>> results = Runtimes.readAll(topics.results());
      List<ConsumerRecord<byte[], byte[]>> billing = Runtimes.readAll(topics.resourceConsumption());
      assertThat(completed).hasSize(1);
      assertThat(results).hasSize(1);
      assertThat(billing).hasSize(1);
      assertThat(Runtimes.readAll(topics.failed())).isEmpty();
      assertThat(batches(service)).isEqualTo(1);

      long job = service.jdbi().withHandle(h -> h.createQuery(
          "SELECT id FROM batches WHERE upstream_batch_id = 'bos-1'").mapTo(Long.class).one());
      int judged = service.jdbi().withHandle(h -> h.createQuery(
          "SELECT count(*) FROM comparisons WHERE batch_id = :id AND status = 'JUDGED'").bind("id", job)
          .mapTo(Integer.class).one());

      // Headers and verbatim envelope.
      ConsumerRecord<byte[], byte[]> thin = completed.get(0);
      assertThat(Runtimes.header(thin, "event_id")).isEqualTo(EventKind.COMPLETED.eventId(Long.toString(job))
          .toString());
      assertThat(Runtimes.header(thin, "event_type")).isEqualTo("huleedu.cj_assessment.completed.v1");
      assertThat(Runtimes.header(thin, "source_service")).isEqualTo("cj_assessment_service");
      assertThat(Runtimes.header(thin, "schema_version")).isEqualTo("1");
      assertThat(Runtimes.header(thin, "content_type")).isEqualTo("application/json");
      assertThat(Runtimes.header(thin, "correlation_id")).isNotBlank();
      assertThat(new String(thin.key())).isEqualTo("bos-1");
      JsonNode thinEnvelope = Json.mapper().readTree(thin.value());
      assertThat(thinEnvelope.get("event_id").asText()).isEqualTo(Runtimes.header(thin, "event_id"));
      JsonNode summary = thinEnvelope.get("data").get("processing_summary");
      assertThat(thinEnvelope.get("data").get("status").asText()).isEqualTo("completed_successfully");
      assertThat(summary.get("total_essays").asInt()).isEqualTo(8);
      Set<String> successful = new HashSet<>();
      summary.get("successful_essay_ids").forEach(n -> successful.add(n.asText()));
      assertThat(successful).hasSize(8).doesNotContainAnyElementsOf(anchors.keySet());

      // Rich result: students only, ranks 1..8 in score order, grades on the scale.
      JsonNode rich = Json.mapper().readTree(results.get(0).value()).get("data");
      List<JsonNode> essays = new ArrayList<>();
      rich.get("essay_results").forEach(essays::add);
      assertThat(essays).hasSize(8);
      for (int i = 0; i < essays.size(); i++) {
        JsonNode e = essays.get(i);
        assertThat(anchors).doesNotContainKey(e.get("essay_id").asText());
        assertThat(e.get("rank").asInt()).isEqualTo(i + 1);
        assertThat(e.get("is_anchor").asBoolean()).isFalse();
        assertThat(List.of("F", "E", "D", "D+", "C", "C+", "B", "A")).contains(e.get("letter_grade").asText());
        if (i > 0) {
          assertThat(e.get("bt_score").asDouble()).isLessThanOrEqualTo(essays.get(i - 1).get("bt_score").asDouble());
        }
      }
      assertThat(rich.get("assessment_metadata").get("anchor_essays_used").asInt()).isEqualTo(3);
      assertThat(rich.get("assessment_metadata").get("comparison_count").asInt()).isEqualTo(judged);

      // Billing: the comparisons actually judged, not nC2.
      JsonNode bill = Json.mapper().readTree(billing.get(0).value()).get("data");
      assertThat(bill.get("quantity").asInt()).isEqualTo(judged).isPositive();
      assertThat(bill.get("user_id").asText()).isEqualTo("teacher-1");
      assertThat(bill.get("resource_type").asText()).isEqualTo("cj_comparison");

      // Every callback arrived twice: the duplicates were counted, not applied.
      int duplicates = service.jdbi().withHandle(h -> h.createQuery(
          "SELECT duplicate_callbacks + late_callbacks FROM batches WHERE id = :id").bind("id", job)
          .mapTo(Integer.class).one());
      assertThat(duplicates).isPositive();
    }
  }

  static String state(ServiceRuntime service, String upstream) {
    return service.jdbi().withHandle(h -> h.createQuery(
        "SELECT coalesce(max(state), 'NONE') FROM batches WHERE upstream_batch_id = :u").bind("u", upstream)
        .mapTo(String.class).one());
  }

  static int batches(ServiceRuntime service) {
    return service.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM batches").mapTo(Integer.class).one());
  }
}
