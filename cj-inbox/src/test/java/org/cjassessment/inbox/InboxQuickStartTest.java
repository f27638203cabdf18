package org.cjassessment.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cjassessment.testing.SharedInfrastructure;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The example in docs/INBOX.md ("Quick start"), kept compiling and running here. */
@ExtendWith(SharedInfrastructure.class)
class InboxQuickStartTest {

  @Test
  void quick_start() throws Exception {
    DataSource dataSource = SharedInfrastructure.freshDatabase().dataSource();
    String bootstrapServers = SharedInfrastructure.bootstrapServers();
    String topic = SharedInfrastructure.freshTopic("huleedu.cj_assessment.completed.v1");
    String deadLetterTopic = SharedInfrastructure.freshTopic("my-service.dead_letter");
    Jdbi.create(dataSource).useHandle(h -> h.execute("CREATE TABLE completed_batches (batch_id text PRIMARY KEY)"));
    try (KafkaProducer<byte[], byte[]> test = KafkaFixture.producer()) {
      for (int i = 0; i < 3; i++) { // the same event three times
        KafkaFixture.send(test, topic, "bos-42", "c2a8585b-92a8-5970-b2c1-a9148d347e8d",
            "{\"event_id\":\"c2a8585b-92a8-5970-b2c1-a9148d347e8d\",\"data\":{\"entity_id\":\"bos-42\"}}");
      }
    }

    // --- quick start (docs/INBOX.md) ---
    Inbox.migrate(dataSource); // once at start-up: the processed_events table, with its own Flyway history
    Jdbi jdbi = Jdbi.create(dataSource);

    try (KafkaProducer<byte[], byte[]> dlqProducer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", bootstrapServers, "acks", "all",
        "key.serializer", ByteArraySerializer.class, "value.serializer", ByteArraySerializer.class));
        InboxConsumer inbox = InboxConsumer.builder()
            .name("my-service.completions") // processed-event rows are per consumer name
            .jdbi(jdbi)
            .consumer(new KafkaConsumer<>(InboxConsumer.consumerProperties(bootstrapServers, "my-service")))
            .topics(List.of(topic))
            .handler((handle, record) -> {
              // runs in the transaction that also records record.eventId() as processed:
              // both commit, or neither does (and the record is retried, then dead-lettered)
              String batchId = Json.read(record.value()).path("data").path("entity_id").asText();
              if (batchId.isEmpty()) {
                throw new PoisonRecordException("data.entity_id is missing"); // dead-lettered at once
              }
              handle.execute("INSERT INTO completed_batches (batch_id) VALUES (?)", batchId);
            })
            .deadLetters(dlqProducer, deadLetterTopic) // reason in the dlq_reason header
            .maxAttempts(5) // then dead-lettered; the records behind it go on
            .backoff(Duration.ofMillis(200), Duration.ofSeconds(10))
            .retention(Duration.ofDays(7)) // longer than the topic's retention
            .start()) {
      // --- end of quick start ---
      await().atMost(Duration.ofSeconds(60)).until(() -> inbox.stats().duplicates() == 2);
      assertThat(inbox.stats().applied()).isEqualTo(1);
    }
    int rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM completed_batches").mapTo(Integer.class).one());
    assertThat(rows).isEqualTo(1);
  }

  /** Stands in for the reader's own JSON helper in the example. */
  private static final class Json {
    static com.fasterxml.jackson.databind.JsonNode read(byte[] bytes) throws java.io.IOException {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
    }
  }
}
