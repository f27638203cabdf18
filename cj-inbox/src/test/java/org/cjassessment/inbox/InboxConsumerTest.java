package org.cjassessment.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.testing.SharedInfrastructure;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The loop on a real PostgreSQL and a real broker: once per event, retries, dead letters, retention. */
@ExtendWith(SharedInfrastructure.class)
class InboxConsumerTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static Jdbi jdbi;
  private static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void setUp() {
    DataSource ds = SharedInfrastructure.freshDatabase().dataSource();
    Inbox.migrate(ds);
    jdbi = Jdbi.create(ds);
    jdbi.useHandle(h -> h.execute("CREATE TABLE effects (consumer text NOT NULL, event_id text NOT NULL)"));
    producer = KafkaFixture.producer();
  }

  @AfterAll
  static void tearDown() {
    producer.close();
  }

  private static int effects(String consumer) {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM effects WHERE consumer = :c")
        .bind("c", consumer).mapTo(Integer.class).one());
  }

  private static InboxHandler recordEffect(String consumer) {
    return (h, r) -> h.createUpdate("INSERT INTO effects (consumer, event_id) VALUES (:c, :e)")
        .bind("c", consumer).bind("e", r.eventId()).execute();
  }

  private static InboxConsumer.Builder loop(String name, String topic, String dlq, InboxHandler handler) {
    return InboxConsumer.builder()
        .name(name)
        .jdbi(jdbi)
        .consumer(KafkaFixture.groupConsumer("g-" + name))
        .topics(List.of(topic))
        .handler(handler)
        .deadLetters(producer, dlq)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200));
  }

  @Test
  void anEventDeliveredManyTimesTakesEffectOnce() throws Exception {
    String topic = SharedInfrastructure.freshTopic("inbox-many");
    String dlq = SharedInfrastructure.freshTopic("inbox-many-dlq");
    for (int i = 0; i < 10; i++) {
      KafkaFixture.send(producer, topic, "k", "event-1", "{}");
    }
    KafkaFixture.send(producer, topic, "k", "event-2", "{}");
    try (InboxConsumer c = loop("many", topic, dlq, recordEffect("many")).start()) {
      await().atMost(WAIT).until(() -> c.stats().applied() + c.stats().duplicates() == 11);
      assertThat(c.stats().applied()).isEqualTo(2);
      assertThat(c.stats().duplicates()).isEqualTo(9);
    }
    assertThat(effects("many")).isEqualTo(2);
  }

  @Test
  void aHandlerThatFailsHalfWayLeavesNothingAndTheRetryTakesEffectOnce() throws Exception {
    String topic = SharedInfrastructure.freshTopic("inbox-half");
    String dlq = SharedInfrastructure.freshTopic("inbox-half-dlq");
    AtomicInteger calls = new AtomicInteger();
    InboxHandler failTwiceAfterTheEffect = (h, r) -> {
      recordEffect("half").handle(h, r); // the effect is written ...
      if (calls.incrementAndGet() <= 2) {
        throw new IllegalStateException("crash after the effect"); // ... and rolled back with the inbox row
      }
    };
    KafkaFixture.send(producer, topic, "k", "event-h", "{}");
    try (InboxConsumer c = loop("half", topic, dlq, failTwiceAfterTheEffect).start()) {
      await().atMost(WAIT).until(() -> c.stats().applied() == 1);
      assertThat(c.stats().retries()).isEqualTo(2);
      assertThat(c.stats().deadLettered()).isZero();
    }
    assertThat(calls).hasValue(3);
    assertThat(effects("half")).isEqualTo(1);
    assertThat(KafkaFixture.readAll(dlq)).isEmpty();
  }

  @Test
  void poisonAndHopelessRecordsAreDeadLetteredWithTheReasonAndTheRecordsBehindThemGoOn() throws Exception {
    String topic = SharedInfrastructure.freshTopic("inbox-poison");
    String dlq = SharedInfrastructure.freshTopic("inbox-poison-dlq");
    InboxHandler handler = (h, r) -> {
      if (r.eventId().equals("refused")) {
        throw new PoisonRecordException("field quantity: must be >= 0");
      }
      if (r.eventId().equals("hopeless")) {
        throw new IllegalStateException("downstream table missing");
      }
      recordEffect("poison").handle(h, r);
    };
    KafkaFixture.send(producer, topic, "k", null, "not json at all"); // no id anywhere
    KafkaFixture.send(producer, topic, "k", "refused", "{}");
    KafkaFixture.send(producer, topic, "k", "hopeless", "{}");
    KafkaFixture.send(producer, topic, "k", null, "{\"event_id\":\"from-body\",\"data\":{}}"); // id from the body
    KafkaFixture.send(producer, topic, "k", "after", "{}");
    try (InboxConsumer c = loop("poison", topic, dlq, handler).maxAttempts(3).start()) {
      await().atMost(WAIT).until(() -> c.stats().applied() == 2 && c.stats().deadLettered() == 3);
      assertThat(c.stats().retries()).isEqualTo(2);
    }
    assertThat(effects("poison")).isEqualTo(2);
    List<ConsumerRecord<byte[], byte[]>> dead = KafkaFixture.readAll(dlq);
    assertThat(dead).extracting(r -> KafkaFixture.header(r, DeadLetterTopic.REASON)).containsExactly(
        "no event id: neither an event_id header nor an event_id field in the envelope",
        "field quantity: must be >= 0",
        "failed 3 times, last: IllegalStateException: downstream table missing");
    assertThat(dead).extracting(r -> KafkaFixture.header(r, DeadLetterTopic.SOURCE_OFFSET))
        .containsExactly("0", "1", "2");
    assertThat(dead).extracting(r -> KafkaFixture.header(r, DeadLetterTopic.CONSUMER)).containsOnly("poison");
    assertThat(KafkaFixture.header(dead.get(1), "event_id")).isEqualTo("refused"); // original headers kept
  }

  @Test
  void retentionForgetsOnlyThisConsumersOldRows() {
    java.time.Instant now = java.time.Instant.now();
    jdbi.useHandle(h -> {
      h.execute("INSERT INTO processed_events (consumer, event_id, processed_at) VALUES "
          + "('keep', 'old', now() - interval '10 days'), ('purge', 'old', now() - interval '10 days'), "
          + "('purge', 'new', now())");
      assertThat(Inbox.purgeOlderThan(h, "purge", Duration.ofDays(7), now)).isEqualTo(1);
      assertThat(h.createQuery("SELECT consumer || ':' || event_id FROM processed_events "
          + "WHERE consumer IN ('keep', 'purge') ORDER BY 1").mapTo(String.class).list())
          .containsExactly("keep:old", "purge:new");
    });
  }

  @Test
  void theBuilderReportsEveryMistakeAtOnce() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> InboxConsumer.builder().maxAttempts(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name is required")
        .hasMessageContaining("jdbi is required")
        .hasMessageContaining("topics")
        .hasMessageContaining("maxAttempts=0 is outside 1..100");
  }
}
