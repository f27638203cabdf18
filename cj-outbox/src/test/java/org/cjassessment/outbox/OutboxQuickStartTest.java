package org.cjassessment.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.testing.SharedInfrastructure;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The example in docs/OUTBOX.md ("Quick start"), kept compiling and running here. */
@ExtendWith(SharedInfrastructure.class)
class OutboxQuickStartTest {

  @Test
  void quick_start() {
    DataSource dataSource = SharedInfrastructure.freshDatabase().dataSource();
    String bootstrapServers = SharedInfrastructure.bootstrapServers();
    String topic = SharedInfrastructure.freshTopic("huleedu.cj_assessment.completed.v1");
    UUID eventId = UUID.nameUUIDFromBytes("cj:42:completed".getBytes(UTF_8)); // the service uses UUIDv5
    byte[] envelopeBytes = "{\"event_type\":\"...\",\"data\":{}}".getBytes(UTF_8);

    // --- quick start (docs/OUTBOX.md) ---
    OutboxSchema.migrate(dataSource); // once at start-up, beside the service's own migrations
    Jdbi jdbi = Jdbi.create(dataSource);
    JdbiOutboxStore outbox = new JdbiOutboxStore();

    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(OutboxRelay.producerProperties(bootstrapServers));
        KafkaConsumer<byte[], byte[]> check =
            new KafkaConsumer<>(OutboxRelay.deliveryCheckProperties(bootstrapServers)); // no group, no commits
        OutboxRelay relay = OutboxRelay.builder().dataSource(dataSource).producer(producer)
            .deliveryCheck(check) // after a crash, looks on the broker before sending a row again
            .start()) {
      outbox.onAppendCommitted(relay::wake); // same-process appends wake the relay without a database round trip

      boolean inserted = jdbi.inTransaction(tx -> {
        // ... the business change (e.g. the batch's terminal state) in the same transaction ...
        return outbox.append(tx, OutboxMessage.builder()
            .eventId(eventId) // deterministic: a repeated finalization appends nothing
            .aggregate("cj_batch", "bos-42") // the key defaults to the aggregate id
            .eventType("huleedu.cj_assessment.completed.v1")
            .topic(topic)
            .correlationId("corr-42")
            .payload(envelopeBytes) // published verbatim
            .sourceService("cj_assessment_service")
            .schemaVersion("1")
            .contentType("application/json")
            .build());
      });
      // --- end of quick start ---

      assertThat(inserted).isTrue();
      try (TopicReader reader = new TopicReader(topic)) {
        assertThat(reader.awaitAtLeast(1)).extracting(TopicReader::eventId).containsExactly(eventId);
      }
    }
  }
}
