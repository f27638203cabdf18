package org.cjassessment.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfrastructure.class)
@SuppressWarnings("try") // a relay in try-with-resources works by running, not by being referenced
class OutboxRelayFailureTest {

  @Test
  void while_the_broker_is_down_rows_stay_pending_with_growing_backoff_then_drain_exactly_once() {
    OutboxFixture fixture = OutboxFixture.create().logAttempts();
    String topic = SharedInfrastructure.freshTopic("outbox-down");
    List<OutboxMessage> messages =
        IntStream.range(0, 5).mapToObj(i -> OutboxFixture.message(topic, "key-" + i, "essay " + i)).toList();
    UUID watched = messages.get(0).eventId();

    try (KafkaProducer<byte[], byte[]> real = OutboxFixture.realProducer();
        TopicReader reader = new TopicReader(topic)) {
      FaultInjectingProducer producer = new FaultInjectingProducer(real);
      producer.down();
      try (OutboxRelay relay = fixture.relay(producer)
          .backoff(Duration.ofMillis(100), Duration.ofSeconds(2)).maxAttempts(50).start()) {
        messages.forEach(fixture::append);

        // every failed attempt of one row, as the relay recorded it (a trigger, so no state is missed by polling)
        await().atMost(Duration.ofSeconds(20)).until(() -> fixture.attemptLog(watched).size() >= 4);
        Map<Integer, Duration> backoffByAttempt = new TreeMap<>();
        for (OutboxFixture.Row row : fixture.attemptLog(watched)) {
          assertThat(row.status()).isEqualTo(OutboxStatus.PENDING);
          assertThat(row.lastError()).contains("NetworkException").contains("broker unreachable");
          backoffByAttempt.put(row.attempts(), row.backoff());
        }
        assertThat(backoffByAttempt).containsKeys(1, 2, 3, 4);
        for (int attempt = 1; attempt <= 4; attempt++) {
          long nominal = 100L << (attempt - 1);
          assertThat(backoffByAttempt.get(attempt).toMillis()).as("backoff after attempt %d", attempt)
              .isBetween(nominal / 2 - 1, nominal * 3 / 2 + 1);
        }
        // jitter is ±50 %, doubling beats it two steps apart
        assertThat(backoffByAttempt.get(3)).isGreaterThan(backoffByAttempt.get(1));
        assertThat(backoffByAttempt.get(4)).isGreaterThan(backoffByAttempt.get(2));
        assertThat(reader.readToEnd()).isEmpty();

        producer.up();
        await().atMost(Duration.ofSeconds(20)).until(() -> fixture.allPublished(messages));
      }
      List<ConsumerRecord<byte[], byte[]>> records = reader.readToEnd();
      assertThat(records).extracting(TopicReader::eventId)
          .containsExactlyInAnyOrderElementsOf(messages.stream().map(OutboxMessage::eventId).toList());
    }
  }

  @Test
  void an_outage_longer_than_the_retry_ladder_strands_nothing_every_event_arrives_once_when_the_broker_returns() {
    OutboxFixture fixture = OutboxFixture.create();
    String topic = SharedInfrastructure.freshTopic("outbox-long-outage");
    // completion, result and billing events of three batches, in order per batch key
    List<OutboxMessage> messages = IntStream.range(0, 9)
        .mapToObj(i -> OutboxFixture.message(topic, "batch-" + (i % 3), "event " + i)).toList();
    int maxAttempts = 3;

    try (KafkaProducer<byte[], byte[]> real = OutboxFixture.realProducer();
        TopicReader reader = new TopicReader(topic)) {
      FaultInjectingProducer producer = new FaultInjectingProducer(real);
      producer.down();
      try (OutboxRelay relay = fixture.relay(producer)
          .backoff(Duration.ofMillis(20), Duration.ofMillis(100)).maxAttempts(maxAttempts).start()) {
        messages.forEach(fixture::append);
        // the head row of every key fails three times the ladder, and nothing goes DEAD
        await().atMost(Duration.ofSeconds(60))
            .failFast("a row went DEAD during the outage", () -> fixture.admin.counts().get(OutboxStatus.DEAD) > 0)
            .until(() -> messages.subList(0, 3).stream()
                .allMatch(m -> fixture.row(m.eventId()).attempts() >= 3 * maxAttempts));
        assertThat(fixture.admin.counts()).containsEntry(OutboxStatus.DEAD, 0L)
            .containsEntry(OutboxStatus.PENDING, (long) messages.size());
        assertThat(fixture.row(messages.get(0).eventId()).lastError()).contains("NetworkException");

        producer.up();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.allPublished(messages));
      }
      List<ConsumerRecord<byte[], byte[]>> records = reader.readToEnd();
      assertThat(records).extracting(TopicReader::eventId)
          .containsExactlyInAnyOrderElementsOf(messages.stream().map(OutboxMessage::eventId).toList());
      assertThat(fixture.admin.counts()).containsEntry(OutboxStatus.DEAD, 0L);
    }
  }

  @Test
  void a_producer_pointed_at_a_closed_port_fails_attempts_in_seconds_and_leaves_rows_pending() throws IOException {
    OutboxFixture fixture = OutboxFixture.create();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Map<String, Object> properties = OutboxRelay.producerProperties("127.0.0.1:" + closedPort);
    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300);
    properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 300);
    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600);
    List<OutboxMessage> messages =
        IntStream.range(0, 3).mapToObj(i -> OutboxFixture.message("outbox-nowhere", "key-" + i, "x")).toList();
    messages.forEach(fixture::append);

    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties);
    try (OutboxRelay relay = fixture.relay(producer).maxAttempts(50).start()) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        for (OutboxMessage message : messages) {
          OutboxFixture.Row row = fixture.row(message.eventId());
          assertThat(row.status()).isEqualTo(OutboxStatus.PENDING);
          assertThat(row.attempts()).isGreaterThanOrEqualTo(2);
          assertThat(row.nextAttemptAt()).isAfter(row.lastAttemptAt());
          assertThat(row.lastError()).contains("outbox-nowhere");
        }
      });
    } finally {
      producer.close(Duration.ZERO);
    }
  }

  @Test
  void a_lost_acknowledgement_re_sends_the_same_event_id_and_bytes() {
    OutboxFixture fixture = OutboxFixture.create();
    String topic = SharedInfrastructure.freshTopic("outbox-lost-ack");
    OutboxMessage message = OutboxFixture.message(topic, "key", "the same essay twice");

    try (KafkaProducer<byte[], byte[]> real = OutboxFixture.realProducer();
        TopicReader reader = new TopicReader(topic)) {
      FaultInjectingProducer producer = new FaultInjectingProducer(real);
      producer.loseNextAcks(message.eventId().toString(), 1);
      fixture.append(message);
      try (OutboxRelay relay = fixture.relay(producer).start()) {
        await().atMost(Duration.ofSeconds(20)).until(() -> fixture.status(message.eventId()) == OutboxStatus.PUBLISHED);
      }
      assertThat(fixture.row(message.eventId()).attempts()).isEqualTo(1);

      // at least once: the broker holds two copies, identical down to the event id a consumer deduplicates by
      List<ConsumerRecord<byte[], byte[]>> records = reader.readToEnd();
      assertThat(records).hasSize(2);
      assertThat(records).extracting(TopicReader::eventId).containsOnly(message.eventId());
      assertThat(records.get(1).value()).isEqualTo(records.get(0).value()).isEqualTo(message.payload());
    }
  }
}
