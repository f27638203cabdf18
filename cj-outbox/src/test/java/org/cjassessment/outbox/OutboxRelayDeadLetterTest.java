package org.cjassessment.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfrastructure.class)
@SuppressWarnings("try") // a relay in try-with-resources works by running, not by being referenced
class OutboxRelayDeadLetterTest {

  @Test
  void a_poison_row_goes_dead_without_blocking_others_and_an_operator_retry_re_drives_it() {
    OutboxFixture fixture = OutboxFixture.create();
    String topic = SharedInfrastructure.freshTopic("outbox-poison");
    // larger than the first producer's max.request.size: RecordTooLargeException on every attempt
    OutboxMessage poison = OutboxFixture.message(topic, "poison", new byte[20_000]);
    List<OutboxMessage> others =
        IntStream.range(0, 5).mapToObj(i -> OutboxFixture.message(topic, "key-" + i, "small " + i)).toList();
    fixture.append(poison);
    others.forEach(fixture::append);
    // same key as the poison row, appended after it: held back while the poison row is retried, freed once DEAD
    OutboxMessage behindPoison = OutboxFixture.message(topic, "poison", "small, same key");
    fixture.append(behindPoison);

    try (TopicReader reader = new TopicReader(topic)) {
      try (KafkaProducer<byte[], byte[]> small =
          OutboxFixture.realProducer(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10_000));
          OutboxRelay relay = fixture.relay(small).maxAttempts(3)
              .backoff(Duration.ofMillis(200), Duration.ofMillis(400)).start()) {
        // the other keys go out at once, while the poison row is still being retried
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.allPublished(others));
        assertThat(fixture.status(poison.eventId())).isEqualTo(OutboxStatus.PENDING);
        assertThat(fixture.status(behindPoison.eventId())).isEqualTo(OutboxStatus.PENDING);

        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.status(poison.eventId()) == OutboxStatus.DEAD);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> fixture.status(behindPoison.eventId()) == OutboxStatus.PUBLISHED);
      }

      OutboxFixture.Row dead = fixture.row(poison.eventId());
      assertThat(dead.attempts()).isEqualTo(3);
      assertThat(fixture.admin.dead(10)).singleElement().satisfies(d -> {
        assertThat(d.id()).isEqualTo(dead.id());
        assertThat(d.eventId()).isEqualTo(poison.eventId());
        assertThat(d.eventType()).isEqualTo(poison.eventType());
        assertThat(d.topic()).isEqualTo(topic);
        assertThat(d.key()).isEqualTo("poison");
        assertThat(d.attempts()).isEqualTo(3);
        assertThat(d.lastError()).startsWith("RecordTooLargeException").doesNotContain("\n");
        assertThat(d.createdAt()).isNotNull();
        assertThat(d.lastAttemptAt()).isNotNull();
      });
      assertThat(fixture.admin.counts())
          .containsExactlyInAnyOrderEntriesOf(Map.of(
              OutboxStatus.PENDING, 0L, OutboxStatus.PUBLISHED, 6L, OutboxStatus.DEAD, 1L));

      // the fix (a producer allowed to send it), then the operator re-drives the row
      try (KafkaProducer<byte[], byte[]> large = OutboxFixture.realProducer();
          OutboxRelay relay = fixture.relay(large).start()) {
        assertThat(fixture.admin.retry(dead.id())).isTrue();
        assertThat(fixture.admin.retry(dead.id())).as("no longer DEAD").isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.status(poison.eventId()) == OutboxStatus.PUBLISHED);
      }
      assertThat(fixture.row(poison.eventId()).lastError()).isNull();
      assertThat(fixture.admin.dead(10)).isEmpty();
      assertThat(reader.awaitAtLeast(7)).extracting(TopicReader::eventId).containsOnlyOnce(poison.eventId());
    }
  }

  @Test
  void retry_of_an_unknown_or_pending_row_returns_false() {
    OutboxFixture fixture = OutboxFixture.create();
    OutboxMessage pending = OutboxFixture.message("outbox-not-dead", "k", "x");
    fixture.append(pending);
    assertThat(fixture.admin.retry(fixture.row(pending.eventId()).id())).isFalse();
    assertThat(fixture.admin.retry(987_654_321L)).isFalse();
    assertThat(fixture.status(pending.eventId())).isEqualTo(OutboxStatus.PENDING);
  }
}
