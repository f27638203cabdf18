package org.cjassessment.outbox;

import org.cjassessment.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.testing.SharedInfrastructure;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The window between the broker's acknowledgement and the PUBLISHED commit (docs/OUTBOX.md, "Possibly sent"): a row
 * whose earlier send may have reached the broker is looked for there before it is sent again. Real broker, real
 * database; the lost commit is a trigger that fails the first PUBLISHED update, so the first attempt is the relay's
 * own (marker, send, acknowledgement), rolled back exactly where a {@code kill -9} or a PostgreSQL restart would.
 */
@ExtendWith(SharedInfrastructure.class)
class PossiblySentRowsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final Duration BACKOFF = Duration.ofSeconds(1);

  private final OutboxFixture fixture = OutboxFixture.create();
  private final String topic = SharedInfrastructure.freshTopic("possibly-sent");
  private final MutableClock clock = new MutableClock(T0);
  private KafkaProducer<byte[], byte[]> real;
  private FaultInjectingProducer producer;
  private KafkaConsumer<byte[], byte[]> checkConsumer;
  private Handle handle;

  @BeforeEach
  void open() {
    real = OutboxFixture.realProducer();
    producer = new FaultInjectingProducer(real);
    checkConsumer = new KafkaConsumer<>(OutboxRelay.deliveryCheckProperties(SharedInfrastructure.bootstrapServers()));
    handle = fixture.jdbi.open();
  }

  @AfterEach
  void close() {
    handle.close();
    checkConsumer.close();
    real.close();
  }

  private PublishRound round(DeliveryCheck check, Duration inFlightGrace, int maxAttempts, Duration ackTimeout) {
    return new PublishRound("possibly-sent-test", producer, clock, 100, maxAttempts,
        new Backoff(BACKOFF, Duration.ofMinutes(1), 0), ackTimeout, check, new SendLog(fixture.jdbi), inFlightGrace);
  }

  private PublishRound checkingRound() {
    return round(new KafkaDeliveryCheck("possibly-sent-test", checkConsumer, producer), Duration.ZERO, 3,
        Duration.ofSeconds(15));
  }

  @Test
  void a_row_whose_published_commit_was_lost_is_found_on_the_broker_and_not_sent_again() throws Exception {
    OutboxMessage message = append("key-a");
    loseTheFirstPublishedCommit();
    PublishRound round = checkingRound();

    assertThatThrownBy(() -> round.run(handle)).hasStackTraceContaining("injected: the PUBLISHED commit is lost");
    OutboxFixture.Row afterCrash = fixture.row(message.eventId());
    assertThat(afterCrash.status()).as("rolled back after the broker's ack").isEqualTo(OutboxStatus.PENDING);
    assertThat(afterCrash.attempts()).isZero();
    assertThat(sends(afterCrash.id())).as("the marker committed before the send survived the rollback").isEqualTo(1);

    PublishRound.Result next = round.run(handle);

    assertThat(next.acked()).singleElement().satisfies(d -> {
      assertThat(d.row.eventId()).isEqualTo(message.eventId());
      assertThat(d.isAlreadyDelivered()).as("found, not sent").isTrue();
    });
    assertThat(fixture.status(message.eventId())).isEqualTo(OutboxStatus.PUBLISHED);
    assertThat(sends(afterCrash.id())).as("the PUBLISHED commit removed the marker").isZero();
    assertThat(recordsOf(message)).isEqualTo(1);
  }

  @Test
  void without_the_check_the_same_window_sends_the_record_twice() throws Exception {
    // the test above fails without the check: this is what it prevents
    OutboxMessage message = append("key-a");
    loseTheFirstPublishedCommit();
    PublishRound round = round(DeliveryCheck.NONE, Duration.ZERO, 3, Duration.ofSeconds(15));

    assertThatThrownBy(() -> round.run(handle)).hasStackTraceContaining("injected");
    assertThat(round.run(handle).acked()).singleElement().satisfies(d -> assertThat(d.isAlreadyDelivered()).isFalse());

    assertThat(recordsOf(message)).isEqualTo(2);
  }

  @Test
  void a_marker_without_a_record_on_the_broker_is_sent_once() throws Exception {
    OutboxMessage message = append("key-a");
    long id = fixture.row(message.eventId()).id();
    markSent(id, 0, "10 seconds"); // a relay died after committing its marker, before the record left

    PublishRound.Result result = checkingRound().run(handle);

    assertThat(result.acked()).singleElement().satisfies(d -> assertThat(d.isAlreadyDelivered()).isFalse());
    assertThat(fixture.status(message.eventId())).isEqualTo(OutboxStatus.PUBLISHED);
    assertThat(recordsOf(message)).isEqualTo(1);
  }

  @Test
  void a_lost_acknowledgement_is_found_on_the_broker_at_the_retry_instead_of_being_sent_twice() throws Exception {
    OutboxMessage message = append("key-a");
    producer.loseNextAcks(message.eventId().toString(), 1);
    PublishRound round = checkingRound();

    assertThat(round.run(handle).failures()).singleElement().satisfies(f -> assertThat(f.attempts()).isEqualTo(1));
    clock.set(T0.plus(BACKOFF));
    PublishRound.Result retry = round.run(handle);

    assertThat(retry.acked()).singleElement().satisfies(d -> assertThat(d.isAlreadyDelivered()).isTrue());
    assertThat(fixture.status(message.eventId())).isEqualTo(OutboxStatus.PUBLISHED);
    assertThat(recordsOf(message)).isEqualTo(1);
  }

  @Test
  void a_send_whose_relay_stopped_moments_ago_waits_out_the_grace_without_counting_an_attempt() throws Exception {
    OutboxMessage message = append("key-a");
    long id = fixture.row(message.eventId()).id();
    markSent(id, 0, "0 seconds"); // outcome never recorded, started just now: its request may still be in flight
    PublishRound patient = round(new KafkaDeliveryCheck("t", checkConsumer, producer), Duration.ofHours(1), 3,
        Duration.ofSeconds(15));

    PublishRound.Result result = patient.run(handle);

    assertThat(result.deferred()).extracting(ClaimedRow::id).containsExactly(id);
    assertThat(result.acked()).isEmpty();
    OutboxFixture.Row row = fixture.row(message.eventId());
    assertThat(row.status()).isEqualTo(OutboxStatus.PENDING);
    assertThat(row.attempts()).as("no attempt was made").isZero();
    assertThat(row.nextAttemptAt()).isBetween(T0.plus(Duration.ofMinutes(59)), T0.plus(Duration.ofHours(1)));
    assertThat(patient.run(handle).claimed()).as("not due before the grace ends").isZero();

    clock.set(T0.plus(Duration.ofHours(1)));
    assertThat(checkingRound().run(handle).acked()).singleElement()
        .satisfies(d -> assertThat(d.isAlreadyDelivered()).isFalse());
    assertThat(recordsOf(message)).isEqualTo(1);
  }

  @Test
  void a_broker_that_does_not_answer_the_check_fails_the_attempt_as_an_outage_never_dead() throws Exception {
    OutboxMessage message = append("key-a");
    long id = fixture.row(message.eventId()).id();
    markSent(id, 0, "10 seconds");
    Map<String, Object> unreachable = OutboxRelay.deliveryCheckProperties("127.0.0.1:1"); // nothing listens there
    unreachable.put(ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
    try (KafkaConsumer<byte[], byte[]> blind = new KafkaConsumer<>(unreachable)) {
      PublishRound round = round(new KafkaDeliveryCheck("t", blind, producer), Duration.ZERO, 1,
          Duration.ofSeconds(1));

      PublishRound.Result result = round.run(handle);

      assertThat(result.failures()).singleElement().satisfies(f -> {
        assertThat(f.dead()).as("maxAttempts is 1, but an unanswered check is an outage").isFalse();
        assertThat(f.error()).contains("could not look for it on the broker");
      });
    }
    assertThat(fixture.status(message.eventId())).isEqualTo(OutboxStatus.PENDING);
    assertThat(recordsOf(message)).as("nothing sent while the check could not be made").isZero();
  }

  @Test
  void the_relay_counts_and_publishes_once_a_row_whose_commit_was_lost_after_the_ack() throws Exception {
    loseTheFirstPublishedCommit();
    OutboxMessage message = append("key-a");
    AtomicInteger alreadyDelivered = new AtomicInteger();
    AtomicInteger published = new AtomicInteger();
    RelayMetrics metrics = new RelayMetrics() {
      @Override
      public void alreadyDelivered(String topic, String eventType) {
        alreadyDelivered.incrementAndGet();
      }

      @Override
      public void published(String topic, String eventType, Duration appendToAck) {
        published.incrementAndGet();
      }
    };
    try (OutboxRelay relay = fixture.relay(real).deliveryCheck(checkConsumer).inFlightGrace(Duration.ofMillis(500))
        .metrics(metrics).start()) {
      await().atMost(Duration.ofSeconds(60))
          .until(() -> fixture.status(message.eventId()) == OutboxStatus.PUBLISHED);
    }
    assertThat(recordsOf(message)).isEqualTo(1);
    assertThat(alreadyDelivered).hasValue(1);
    assertThat(published).as("no acknowledgement of a send was reported: the only send's commit was lost")
        .hasValue(0);
  }

  @Test
  void the_marker_statement_commits_asynchronously_without_changing_the_pooled_connections_setting() {
    OutboxMessage message = append("key-a");
    long id = fixture.row(message.eventId()).id();
    ClaimedRow row = new ClaimedRow(id, message.eventId(), message.eventType(), topic, "key-a", "c", new byte[0],
        Map.of(), 0, T0, false, null);
    // the session default must survive: the connection goes back to the service's pool, and its business
    // transactions must keep their durable commits
    String after = fixture.jdbi.withHandle(h -> {
      h.execute("SET synchronous_commit = on"); // the embedded server's default is off (zonky's)
      assertThat(RelayQueries.beginSends(h, List.of(row), Duration.ZERO)).singleElement()
          .satisfies(r -> assertThat(r.possiblySent()).as("no marker before").isFalse());
      return h.createQuery("SHOW synchronous_commit").mapTo(String.class).one();
    });
    assertThat(after).isEqualTo("on");
    assertThat(sends(id)).isEqualTo(1);
  }

  private OutboxMessage append(String key) {
    OutboxMessage message = OutboxFixture.message(topic, key, "payload of " + key);
    fixture.append(message);
    return message;
  }

  /** The first UPDATE to PUBLISHED fails, rolling its round back after the broker's ack (a sequence: not undone). */
  private void loseTheFirstPublishedCommit() {
    fixture.execute(
        """
        CREATE SEQUENCE lost_commits;
        CREATE FUNCTION lose_first_publication() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF nextval('lost_commits') = 1 THEN RAISE EXCEPTION 'injected: the PUBLISHED commit is lost'; END IF;
            RETURN NEW;
          END $$;
        CREATE TRIGGER lose_first_publication BEFORE UPDATE ON outbox
          FOR EACH ROW WHEN (NEW.status = 'PUBLISHED') EXECUTE FUNCTION lose_first_publication();
        """);
  }

  private void markSent(long id, int attempts, String ago) {
    fixture.jdbi.useHandle(h -> h.createUpdate(
        """
            INSERT INTO outbox_sends (outbox_id, sent_at_attempts, first_sent_at, last_sent_at)
            VALUES (:id, :attempts, clock_timestamp() - CAST(:ago AS interval),
                    clock_timestamp() - CAST(:ago AS interval))
            """)
        .bind("id", id).bind("attempts", attempts).bind("ago", ago).execute());
  }

  private int sends(long id) {
    return fixture.jdbi.withHandle(h -> h.createQuery("SELECT coalesce(sum(sends), 0) FROM outbox_sends"
        + " WHERE outbox_id = :id").bind("id", id).mapTo(Integer.class).one());
  }

  private long recordsOf(OutboxMessage message) {
    try (TopicReader reader = new TopicReader(topic)) {
      return reader.readToEnd().stream().filter(r -> TopicReader.eventId(r).equals(message.eventId())).count();
    }
  }
}
