package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.outbox.JdbiOutboxStore;
import org.cjassessment.outbox.OutboxAdmin;
import org.cjassessment.outbox.OutboxMessage;
import org.cjassessment.outbox.OutboxRelay;
import org.cjassessment.outbox.OutboxSchema;
import org.cjassessment.outbox.OutboxStatus;
import org.cjassessment.service.Json;
import org.cjassessment.service.events.WireNumbers;
import org.cjassessment.testing.SharedInfrastructure;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 8, "Sizes": the result event of a 10,000-student batch reaches a topic that someone else created with
 * Kafka's default limits (max.message.bytes 1,048,588), through the real relay and its production producer settings,
 * and is PUBLISHED, not DEAD. The event is the service's own ({@code EventFactory.result}, rounded at the wire) on
 * the scale with the most probabilities per essay. With full-precision doubles the same event is ~1.6 MB after zstd
 * and the broker refuses it (docs/OUTBOX.md "Sizes"; checked by making {@link WireNumbers#rounded} the identity).
 */
@ExtendWith(SharedInfrastructure.class)
class LargeResultEventDeliveryTest {

  private static final int STUDENTS = 10_000;

  @Test
  void theResultOfTenThousandStudentsReachesATopicWithKafkasDefaultLimits() throws Exception {
    String topic = "results-default-limits-" + java.util.UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        SharedInfrastructure.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(); // no configs: broker defaults
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      String limit = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("max.message.bytes")
          .value();
      assertThat(Integer.parseInt(limit)).isEqualTo(BenchEventSizes.KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
    }
    OutboxMessage built = LargeResultEvent.of(STUDENTS, GradeScale.ENG5_NP_NATIONAL_9_STEP, 11);
    OutboxMessage event = new OutboxMessage(built.eventId(), built.aggregateType(), built.aggregateId(),
        built.eventType(), topic, built.key(), built.correlationId(), built.payload(), built.headers());
    assertThat(event.payload().length).as("raw JSON, far over 1 MiB").isGreaterThan(4 * 1024 * 1024);
    everyEssaysProbabilitiesSumToOne(Json.mapper().readTree(event.payload()));

    DataSource dataSource = SharedInfrastructure.freshDatabase().dataSource();
    OutboxSchema.migrate(dataSource);
    Jdbi.create(dataSource).useTransaction(h -> new JdbiOutboxStore().append(h, event));
    OutboxAdmin outbox = new OutboxAdmin(dataSource);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
        OutboxRelay.producerProperties(SharedInfrastructure.bootstrapServers()));
        OutboxRelay relay = OutboxRelay.builder().name("large-result").dataSource(dataSource).producer(producer)
            .start()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> outbox.counts().getOrDefault(OutboxStatus.PENDING, 0L) == 0
          || outbox.counts().getOrDefault(OutboxStatus.DEAD, 0L) > 0);
      Map<OutboxStatus, Long> counts = outbox.counts();
      assertThat(counts.getOrDefault(OutboxStatus.DEAD, 0L)).as("DEAD rows").isZero();
      assertThat(counts).containsEntry(OutboxStatus.PUBLISHED, 1L);
    }
    assertThat(readAll(topic)).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(event.payload()));
  }

  private static void everyEssaysProbabilitiesSumToOne(JsonNode envelope) {
    JsonNode results = envelope.path("data").path("essay_results");
    assertThat(results.size()).isEqualTo(STUDENTS);
    for (JsonNode essay : results) {
      double sum = 0;
      for (JsonNode p : (Iterable<JsonNode>) () -> essay.path("grade_probabilities").elements()) {
        sum += p.asDouble();
      }
      assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(WireNumbers.PROBABILITY_SUM_TOLERANCE));
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.bootstrapServers(),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return consumer.position(partition) >= end;
      });
    }
    return records;
  }
}
