package org.cjassessment.outbox;

import org.cjassessment.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.testing.SharedInfrastructure;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What "settle" means, one round at a time: a fresh database, a real broker behind the fault-injecting producer, a
 * clock the test moves, no relay thread and nothing to wait for — each {@code run} is one committed transaction.
 */
@ExtendWith(SharedInfrastructure.class)
class PublishRoundTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final Duration BACKOFF = Duration.ofSeconds(1); // first delay; no jitter, so exact

  private final OutboxFixture fixture = OutboxFixture.create();
  private final String topic = SharedInfrastructure.freshTopic("publish-round");
  private final MutableClock clock = new MutableClock(T0);
  private KafkaProducer<byte[], byte[]> real;
  private FaultInjectingProducer producer;
  private Handle handle;

  @BeforeEach
  void open() {
    real = OutboxFixture.realProducer();
    producer = new FaultInjectingProducer(real);
    handle = fixture.jdbi.open();
  }

  @AfterEach
  void close() {
    handle.close();
    real.close();
  }

  private PublishRound round(int maxAttempts) {
    // no delivery check here: these tests are about settling; PossiblySentRowsTest is about the check
    return new PublishRound("round-test", producer, clock, 100, maxAttempts,
        new Backoff(BACKOFF, Duration.ofMinutes(1), 0), Duration.ofSeconds(15), DeliveryCheck.NONE,
        new SendLog(fixture.jdbi), Duration.ZERO);
  }

  @Test
  void acknowledged_rows_are_published_and_a_failed_row_waits_for_its_backoff() throws Exception {
    OutboxMessage a = append("key-a");
    OutboxMessage b = append("key-b");
    OutboxMessage c = append("key-c");
    producer.failNextSends(b.eventId().toString(), 1);
    PublishRound round = round(3);

    PublishRound.Result result = round.run(handle);

    assertThat(result.claimed()).isEqualTo(3);
    assertThat(result.acked()).extracting(d -> d.row.eventId()).containsExactly(a.eventId(), c.eventId());
    assertThat(result.failures()).singleElement().satisfies(f -> {
      assertThat(f.row().eventId()).isEqualTo(b.eventId());
      assertThat(f.attempts()).isEqualTo(1);
      assertThat(f.dead()).isFalse();
      assertThat(f.nextAttemptAt()).isEqualTo(T0.plus(BACKOFF));
    });
    for (OutboxMessage published : List.of(a, c)) {
      OutboxFixture.Row row = fixture.row(published.eventId());
      assertThat(row.status()).isEqualTo(OutboxStatus.PUBLISHED);
      assertThat(row.publishedAt()).isEqualTo(T0);
      assertThat(row.attempts()).isZero();
    }
    OutboxFixture.Row failed = fixture.row(b.eventId());
    assertThat(failed.status()).isEqualTo(OutboxStatus.PENDING);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.nextAttemptAt()).isEqualTo(T0.plus(BACKOFF));
    assertThat(failed.lastError()).contains("NetworkException").contains("broker unreachable");
    assertThat(round.leftWork(result)).as("nothing else is due").isFalse();

    // Not due yet: the next round claims nothing. Due: it is sent again and published.
    assertThat(round.run(handle).claimed()).isZero();
    clock.set(T0.plus(BACKOFF));
    assertThat(round.run(handle).acked()).extracting(d -> d.row.eventId()).containsExactly(b.eventId());
    assertThat(fixture.status(b.eventId())).isEqualTo(OutboxStatus.PUBLISHED);
    try (TopicReader reader = new TopicReader(topic)) {
      assertThat(reader.readToEnd()).extracting(TopicReader::eventId)
          .containsExactlyInAnyOrder(a.eventId(), b.eventId(), c.eventId());
    }
  }

  @Test
  void a_round_claims_only_the_oldest_pending_row_of_each_key_and_says_when_it_freed_the_next() throws Exception {
    OutboxMessage first = append("key-a");
    OutboxMessage second = append("key-a");
    OutboxMessage other = append("key-b");
    PublishRound round = round(3);

    PublishRound.Result result = round.run(handle);

    assertThat(result.acked()).extracting(d -> d.row.eventId()).containsExactly(first.eventId(), other.eventId());
    assertThat(fixture.status(second.eventId())).isEqualTo(OutboxStatus.PENDING);
    assertThat(result.unblocksSuccessor()).isTrue();
    assertThat(round.leftWork(result)).as("the next row of key-a is claimable now").isTrue();

    PublishRound.Result next = round.run(handle);
    assertThat(next.acked()).extracting(d -> d.row.eventId()).containsExactly(second.eventId());
    assertThat(round.leftWork(next)).isFalse();
  }

  @Test
  void a_row_that_fails_while_its_successor_waits_keeps_the_key_blocked() throws Exception {
    OutboxMessage first = append("key-a");
    OutboxMessage second = append("key-a");
    producer.failNextSends(first.eventId().toString(), 1);
    PublishRound round = round(3);

    PublishRound.Result result = round.run(handle);

    assertThat(result.failures()).extracting(f -> f.row().eventId()).containsExactly(first.eventId());
    assertThat(result.unblocksSuccessor()).as("a retry keeps its successor waiting").isFalse();
    clock.set(T0.plus(BACKOFF.dividedBy(2)));
    assertThat(round.run(handle).claimed()).as("the successor is not claimable while its head waits").isZero();
    assertThat(fixture.status(second.eventId())).isEqualTo(OutboxStatus.PENDING);
  }

  @Test
  void the_last_allowed_attempt_refused_makes_the_row_dead_and_frees_its_key() throws Exception {
    OutboxMessage poison = append("key-a");
    OutboxMessage behind = append("key-a");
    producer.refuseNextSends(poison.eventId().toString(), 1);
    PublishRound round = round(1);

    PublishRound.Result result = round.run(handle);

    assertThat(result.failures()).singleElement().satisfies(f -> {
      assertThat(f.dead()).isTrue();
      assertThat(f.nextAttemptAt()).isNull();
    });
    OutboxFixture.Row dead = fixture.row(poison.eventId());
    assertThat(dead.status()).isEqualTo(OutboxStatus.DEAD);
    assertThat(dead.attempts()).isEqualTo(1);
    assertThat(dead.nextAttemptAt()).isNull();
    assertThat(round.leftWork(result)).as("a dead head frees the next row of its key").isTrue();
    assertThat(round.run(handle).acked()).extracting(d -> d.row.eventId()).containsExactly(behind.eventId());
  }

  @Test
  void an_outage_never_makes_a_row_dead_it_retries_at_the_capped_backoff_and_is_published_once_when_it_ends()
      throws Exception {
    OutboxMessage completion = append("batch-1");
    OutboxMessage behind = append("batch-1");
    int maxAttempts = 3;
    int failures = 10 * maxAttempts; // far beyond the ladder; with base 1 s the cap of 1 min is reached at attempt 7
    producer.failNextSends(completion.eventId().toString(), failures);
    PublishRound round = round(maxAttempts);

    Instant now = T0;
    for (int attempt = 1; attempt <= failures; attempt++) {
      clock.set(now);
      PublishRound.Result result = round.run(handle);
      assertThat(result.failures()).as("attempt %d", attempt).singleElement()
          .satisfies(f -> assertThat(f.dead()).isFalse());
      OutboxFixture.Row row = fixture.row(completion.eventId());
      assertThat(row.status()).isEqualTo(OutboxStatus.PENDING);
      assertThat(row.attempts()).isEqualTo(attempt);
      Duration wait = Duration.between(now, row.nextAttemptAt());
      Duration expected = BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 20));
      assertThat(wait).as("backoff after attempt %d", attempt)
          .isEqualTo(expected.compareTo(Duration.ofMinutes(1)) < 0 ? expected : Duration.ofMinutes(1));
      assertThat(fixture.status(behind.eventId())).as("order per key holds during the outage")
          .isEqualTo(OutboxStatus.PENDING);
      now = row.nextAttemptAt();
    }

    clock.set(now);
    assertThat(round.run(handle).acked()).extracting(d -> d.row.eventId()).containsExactly(completion.eventId());
    assertThat(round.run(handle).acked()).extracting(d -> d.row.eventId()).containsExactly(behind.eventId());
    try (TopicReader reader = new TopicReader(topic)) {
      assertThat(reader.readToEnd()).extracting(TopicReader::eventId)
          .containsExactly(completion.eventId(), behind.eventId());
    }
  }

  @Test
  void after_an_outage_used_up_the_ladder_a_refusal_makes_the_row_dead_at_once() throws Exception {
    OutboxMessage message = append("key-a");
    producer.failNextSends(message.eventId().toString(), 5);
    PublishRound round = round(3);
    Instant now = T0;
    for (int attempt = 1; attempt <= 5; attempt++) {
      clock.set(now);
      round.run(handle);
      now = fixture.row(message.eventId()).nextAttemptAt();
    }
    assertThat(fixture.status(message.eventId())).isEqualTo(OutboxStatus.PENDING);

    producer.refuseNextSends(message.eventId().toString(), 1);
    clock.set(now);
    assertThat(round.run(handle).failures()).singleElement().satisfies(f -> assertThat(f.dead()).isTrue());
    OutboxFixture.Row dead = fixture.row(message.eventId());
    assertThat(dead.status()).isEqualTo(OutboxStatus.DEAD);
    assertThat(dead.attempts()).isEqualTo(6);
    assertThat(dead.lastError()).contains("RecordTooLargeException");
  }

  @Test
  void outages_are_kafkas_retriable_errors_anywhere_in_the_cause_chain() {
    assertThat(PublishRound.isOutage(new org.apache.kafka.common.errors.TimeoutException("t"))).isTrue();
    assertThat(PublishRound.isOutage(new org.apache.kafka.common.errors.NotEnoughReplicasException("r"))).isTrue();
    assertThat(PublishRound
        .isOutage(new OutboxException("not sent", new org.apache.kafka.common.errors.DisconnectException("d"))))
        .isTrue();
    assertThat(PublishRound.isOutage(new org.apache.kafka.common.errors.RecordTooLargeException("big"))).isFalse();
    assertThat(PublishRound.isOutage(new org.apache.kafka.common.errors.SerializationException("s"))).isFalse();
    assertThat(PublishRound.isOutage(new org.apache.kafka.common.errors.TopicAuthorizationException("a")))
        .isFalse();
    assertThat(PublishRound.isOutage(new IllegalStateException("producer closed"))).isFalse();
  }

  @Test
  void a_refused_row_is_retried_until_max_attempts_like_before() throws Exception {
    OutboxMessage message = append("key-a");
    producer.refuseNextSends(message.eventId().toString(), 3);
    PublishRound round = round(3);
    Instant now = T0;
    for (int attempt = 1; attempt <= 2; attempt++) {
      clock.set(now);
      assertThat(round.run(handle).failures()).singleElement().satisfies(f -> assertThat(f.dead()).isFalse());
      now = fixture.row(message.eventId()).nextAttemptAt();
    }
    clock.set(now);
    assertThat(round.run(handle).failures()).singleElement().satisfies(f -> assertThat(f.dead()).isTrue());
    assertThat(fixture.status(message.eventId())).isEqualTo(OutboxStatus.DEAD);
  }

  @Test
  void a_lost_acknowledgement_leaves_the_row_pending_so_the_broker_gets_it_twice_never_zero_times() throws Exception {
    OutboxMessage message = append("key-a");
    producer.loseNextAcks(message.eventId().toString(), 1);
    PublishRound round = round(3);

    round.run(handle);
    assertThat(fixture.row(message.eventId()).status()).isEqualTo(OutboxStatus.PENDING);
    clock.set(T0.plus(BACKOFF));
    round.run(handle);

    assertThat(fixture.status(message.eventId())).isEqualTo(OutboxStatus.PUBLISHED);
    try (TopicReader reader = new TopicReader(topic)) {
      assertThat(reader.readToEnd()).extracting(TopicReader::eventId)
          .containsExactly(message.eventId(), message.eventId());
    }
  }

  private OutboxMessage append(String key) {
    OutboxMessage message = OutboxFixture.message(topic, key, "payload of " + key);
    fixture.append(message);
    return message;
  }
}
