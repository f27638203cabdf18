package org.cjassessment.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfrastructure.class)
@SuppressWarnings("try") // a relay in try-with-resources works by running, not by being referenced
class OutboxRelayPublishTest {

  private static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void producer() {
    producer = OutboxFixture.realProducer();
  }

  @AfterAll
  static void close() {
    producer.close();
  }

  @Test
  void publishes_the_stored_bytes_verbatim_with_the_key_and_all_six_headers() {
    OutboxFixture fixture = OutboxFixture.create();
    String topic = SharedInfrastructure.freshTopic("outbox-verbatim");
    byte[] payload = "{\"essay\":\"Ångström\"}\u0000".getBytes(UTF_8);
    payload[payload.length - 1] = (byte) 0xff; // not even valid UTF-8: bytes are bytes
    OutboxMessage message =
        OutboxMessage.builder()
            .eventId(UUID.fromString("2b1f3c8e-8d1a-5c55-9a57-0d6b1c1e8f01"))
            .aggregate("cj_batch", "bos-42")
            .eventType("huleedu.cj_assessment.completed.v1")
            .topic(topic)
            .correlationId("corr-42")
            .payload(payload)
            .sourceService("cj_assessment_service")
            .schemaVersion("1")
            .contentType("application/json")
            .header("occurred_at", "2026-01-01T00:00:00Z")
            .build();
    fixture.append(message);

    try (OutboxRelay relay = fixture.relay(producer).start();
        TopicReader reader = new TopicReader(topic)) {
      ConsumerRecord<byte[], byte[]> record = reader.awaitAtLeast(1).get(0);

      assertThat(record.value()).isEqualTo(payload);
      assertThat(TopicReader.key(record)).isEqualTo("bos-42");
      assertThat(StreamSupport.stream(record.headers().spliterator(), false)
          .map(h -> h.key() + "=" + new String(h.value(), UTF_8)))
          .containsExactly(
              "event_id=2b1f3c8e-8d1a-5c55-9a57-0d6b1c1e8f01",
              "event_type=huleedu.cj_assessment.completed.v1",
              "correlation_id=corr-42",
              "source_service=cj_assessment_service",
              "schema_version=1",
              "content_type=application/json",
              "occurred_at=2026-01-01T00:00:00Z");
      await().atMost(Duration.ofSeconds(10))
          .until(() -> fixture.status(message.eventId()) == OutboxStatus.PUBLISHED);
      assertThat(fixture.row(message.eventId()).publishedAt()).isNotNull();
      assertThat(reader.readToEnd()).hasSize(1);
    }
  }

  @Test
  void a_commit_wakes_the_relay_through_listen_notify_without_polling() {
    OutboxFixture fixture = OutboxFixture.create();
    String topic = SharedInfrastructure.freshTopic("outbox-notify");
    // the poll fallback is an hour: only the NOTIFY from the append can explain a prompt publish
    try (OutboxRelay relay = fixture.relay(producer).pollInterval(Duration.ofHours(1))
        .retentionInterval(Duration.ofHours(1)).start();
        TopicReader reader = new TopicReader(topic)) {
      assertPublishedPromptlyAfterTheRelayWentIdle(fixture, topic, fixture.store, reader);
    }
  }

  @Test
  void the_in_process_wake_hook_works_without_listen() {
    OutboxFixture fixture = OutboxFixture.create();
    String topic = SharedInfrastructure.freshTopic("outbox-wake");
    JdbiOutboxStore store = new JdbiOutboxStore();
    try (OutboxRelay relay = fixture.relay(producer).listen(false).pollInterval(Duration.ofHours(1))
        .retentionInterval(Duration.ofHours(1)).start();
        TopicReader reader = new TopicReader(topic)) {
      store.onAppendCommitted(relay::wake);
      assertPublishedPromptlyAfterTheRelayWentIdle(fixture, topic, store, reader);
    }
  }

  /**
   * The first message may be caught by the relay's start-up round; the second is appended once the relay has
   * published the first and gone back to sleep for its (one hour) poll interval, so only a wake-up can explain it.
   */
  private static void assertPublishedPromptlyAfterTheRelayWentIdle(
      OutboxFixture fixture, String topic, JdbiOutboxStore store, TopicReader reader) {
    OutboxMessage first = OutboxFixture.message(topic, "a", "one");
    fixture.jdbi.useTransaction(h -> store.append(h, first));
    await().atMost(Duration.ofSeconds(10)).until(() -> fixture.status(first.eventId()) == OutboxStatus.PUBLISHED);

    OutboxMessage second = OutboxFixture.message(topic, "b", "two");
    long committed = System.nanoTime();
    fixture.jdbi.useTransaction(h -> store.append(h, second));
    await().atMost(Duration.ofSeconds(10)).until(() -> fixture.status(second.eventId()) == OutboxStatus.PUBLISHED);
    // a rough figure for the test log; the benchmark (cj-bench OutboxLatencyBench) measures latency properly
    System.out.printf("commit -> PUBLISHED observed after %d ms%n", (System.nanoTime() - committed) / 1_000_000);

    assertThat(reader.awaitAtLeast(2)).extracting(TopicReader::eventId)
        .containsExactly(first.eventId(), second.eventId());
  }

  @Test
  void start_refuses_a_database_without_the_outbox_table_and_says_what_to_do() {
    OutboxRelay relay = OutboxRelay.builder()
        .dataSource(SharedInfrastructure.freshDatabase().dataSource())
        .producer(producer)
        .build();
    assertThatThrownBy(relay::start)
        .isInstanceOf(OutboxException.class)
        .hasMessageContaining("table 'outbox' does not exist")
        .hasMessageContaining("OutboxSchema.migrate(dataSource)");
    assertThat(relay.isRunning()).isFalse();
  }

  @Test
  void the_builder_reports_every_invalid_setting_with_its_value_and_fix() {
    assertThatThrownBy(() -> OutboxRelay.builder()
        .batchSize(0)
        .maxAttempts(-1)
        .backoff(Duration.ofSeconds(10), Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(1))
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataSource is not set")
        .hasMessageContaining("producer is not set: pass new KafkaProducer<>(OutboxRelay.producerProperties")
        .hasMessageContaining("batchSize = 0 is outside [1, 10000]")
        .hasMessageContaining("maxAttempts = -1 is outside [1, 1000]")
        .hasMessageContaining("max = PT1S is below base = PT10S")
        .hasMessageContaining("pollInterval = PT0.001S is outside [PT0.01S, PT1H]");
  }
}
