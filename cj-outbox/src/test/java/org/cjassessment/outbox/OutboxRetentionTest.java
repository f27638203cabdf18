package org.cjassessment.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfrastructure.class)
class OutboxRetentionTest {

  @Test
  void the_relay_deletes_only_published_rows_older_than_the_retention() {
    OutboxFixture fixture = OutboxFixture.create();
    String topic = SharedInfrastructure.freshTopic("outbox-retention");
    List<OutboxMessage> published =
        IntStream.range(0, 6).mapToObj(i -> OutboxFixture.message(topic, "key-" + i, "x")).toList();
    published.forEach(fixture::append);

    try (KafkaProducer<byte[], byte[]> producer = OutboxFixture.realProducer()) {
      try (OutboxRelay relay = fixture.relay(producer).start()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.allPublished(published));
      }
      // three rows published 8 days ago, plus an old DEAD row and an old PENDING row that is not due
      List<OutboxMessage> old = published.subList(0, 3);
      old.forEach(m -> fixture.execute("UPDATE outbox SET published_at = now() - interval '8 days' WHERE event_id = '"
          + m.eventId() + "'"));
      OutboxMessage dead = OutboxFixture.message(topic, "dead", "x");
      OutboxMessage pending = OutboxFixture.message(topic, "pending", "x");
      fixture.append(dead);
      fixture.append(pending);
      fixture.execute("UPDATE outbox SET status = 'DEAD', created_at = now() - interval '30 days' WHERE event_id = '"
          + dead.eventId() + "'");
      fixture.execute("UPDATE outbox SET attempts = 1, next_attempt_at = now() + interval '1 day',"
          + " created_at = now() - interval '30 days' WHERE event_id = '" + pending.eventId() + "'");

      try (OutboxRelay relay = fixture.relay(producer).retention(Duration.ofDays(7))
          .retentionInterval(Duration.ofMillis(100)).start()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.rowCount() == 5);
      }
      assertThat(fixture.admin.counts()).containsEntry(OutboxStatus.PUBLISHED, 3L)
          .containsEntry(OutboxStatus.DEAD, 1L).containsEntry(OutboxStatus.PENDING, 1L);
      for (OutboxMessage kept : published.subList(3, 6)) {
        assertThat(fixture.status(kept.eventId())).isEqualTo(OutboxStatus.PUBLISHED);
      }
    }
  }

  @Test
  void deletes_run_in_batches_of_the_given_size() {
    OutboxFixture fixture = OutboxFixture.create();
    IntStream.range(0, 25).forEach(i -> fixture.append(OutboxFixture.message("outbox-batches", "k" + i, "x")));
    fixture.execute("UPDATE outbox SET status = 'PUBLISHED', published_at = now() - interval '1 hour'");
    Instant cutoff = Instant.now();

    assertThat(fixture.admin.deletePublishedBefore(cutoff, 10)).isEqualTo(10);
    assertThat(fixture.admin.deletePublishedBefore(cutoff, 10)).isEqualTo(10);
    assertThat(fixture.admin.deletePublishedBefore(cutoff, 10)).isEqualTo(5);
    assertThat(fixture.admin.deletePublishedBefore(cutoff, 10)).isZero();
    assertThat(fixture.rowCount()).isZero();
  }
}
