package org.cjassessment.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Result events far over Kafka's 1 MiB defaults. The relay's producer compresses (zstd) and sends records up to
 * 32 MiB uncompressed; the broker checks the compressed batch against its message.max.bytes. A 5,000-essay result
 * (about 2.8 MB of JSON, ~0.7 MB compressed) reaches a topic with default limits; before, the producer refused it
 * (RecordTooLargeException) on every attempt and the row went DEAD. A 10,000-essay result (about 5 MB, over 1 MB
 * compressed: full-precision doubles do not compress much) needs a topic whose max.message.bytes allows it, which
 * the service sets on the topics it creates (CJ_CREATE_TOPICS). The service's own result event rounds its doubles to
 * six decimals and fits a default topic even at 10,000 essays (LargeResultEventDeliveryTest in cj-app).
 */
@ExtendWith(SharedInfrastructure.class)
class LargeEventTest {

  @Test
  void theResultOfFiveThousandEssaysReachesATopicWithDefaultLimits() {
    byte[] payload = resultEvent(5_000, new Random(7));
    assertThat(payload.length).isGreaterThan(2 * 1024 * 1024);
    publishes(payload, SharedInfrastructure.freshTopic("outbox-large"));
  }

  @Test
  void theResultOfTenThousandEssaysReachesATopicCreatedAsTheServiceCreatesIt() throws Exception {
    byte[] payload = resultEvent(10_000, new Random(8));
    assertThat(payload.length).isGreaterThan(4 * 1024 * 1024);
    String topic = "outbox-larger-" + java.util.UUID.randomUUID();
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of(
        "bootstrap.servers", SharedInfrastructure.bootstrapServers()))) {
      admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)
          // segment.bytes: the test broker uses small segments (1 GiB is Kafka's default)
          .configs(java.util.Map.of("max.message.bytes", Integer.toString(OutboxRelay.MAX_REQUEST_BYTES),
              "segment.bytes", Integer.toString(64 * 1024 * 1024)))))
          .all().get();
    }
    publishes(payload, topic);
  }

  private static void publishes(byte[] payload, String topic) {
    OutboxFixture fixture = OutboxFixture.create();
    OutboxMessage message = OutboxFixture.message(topic, "bos-10000", payload);
    fixture.append(message);
    try (KafkaProducer<byte[], byte[]> producer = OutboxFixture.realProducer();
        OutboxRelay relay = fixture.relay(producer).start();
        TopicReader reader = new TopicReader(topic)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> fixture.status(message.eventId()) != OutboxStatus.PENDING
          || fixture.row(message.eventId()).attempts() > 0);
      assertThat(fixture.status(message.eventId())).isEqualTo(OutboxStatus.PUBLISHED);
      ConsumerRecord<byte[], byte[]> record = reader.awaitAtLeast(1).get(0);
      assertThat(record.value()).isEqualTo(payload);
    }
  }

  /** A result event shaped like huleedu.assessment.result.published.v1: one entry per essay, full-precision doubles. */
  static byte[] resultEvent(int essays, Random random) {
    String[] grades = {"F", "E", "D", "D+", "C", "C+", "B", "A"};
    StringBuilder json = new StringBuilder("{\"event_id\":\"e\",\"data\":{\"essay_results\":[");
    for (int i = 0; i < essays; i++) {
      double[] p = new double[grades.length];
      double sum = 0;
      for (int g = 0; g < p.length; g++) {
        p[g] = random.nextDouble();
        sum += p[g];
      }
      json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
          "{\"essay_id\":\"essay-%05d\",\"letter_grade\":\"%s\",\"normalized_score\":%s,\"confidence_score\":%s,"
              + "\"confidence_label\":\"LOW\",\"bt_score\":%s,\"bt_se\":%s,\"rank\":%d,\"is_anchor\":false,"
              + "\"display_name\":null,\"grade_probabilities\":{",
          i, grades[random.nextInt(grades.length)], random.nextDouble(), random.nextDouble(),
          random.nextGaussian() * 2, 0.3 + random.nextDouble(), i + 1));
      for (int g = 0; g < p.length; g++) {
        json.append(g == 0 ? "" : ",").append('"').append(grades[g]).append("\":").append(p[g] / sum);
      }
      json.append("},\"feedback_uri\":null,\"metrics_uri\":null}");
    }
    return json.append("]}}").toString().getBytes(UTF_8);
  }
}
