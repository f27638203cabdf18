package org.cjassessment.service;

import org.cjassessment.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.monitor.AuditRetention;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Processed-event rows of the callback path and late-callback audit rows are deleted once older than the
 * retention, not before; a callback redelivered after its dedupe row is gone still changes nothing (business key).
 */
@ExtendWith(SharedInfrastructure.class)
class AuditRetentionTest {

  @Test
  void rowsOlderThanTheRetentionArePurgedAndRedeliveryStaysHarmless() {
    MutableClock clock = new MutableClock();
    try (ServiceHarness service = new ServiceHarness(ServiceSettings.defaults(), clock)) {
      long done = service.submit("retained-" + UUID.randomUUID(), 4, Map.of(), 2);
      service.answerPending(done, new Random(1));
      service.advancer.advance(done, Trigger.WAVE_COMPLETE);
      assertThat(service.state(done)).isEqualTo("COMPLETED");
      long active = service.submit("active-" + UUID.randomUUID(), 4, Map.of(), 4);
      List<byte[]> answers = service.answerPending(active, new Random(2));
      // a late answer for the finished batch
      String lateComparison = service.jdbi.withHandle(h -> h.createQuery(
          "SELECT correlation_id::text FROM comparisons WHERE batch_id = :id LIMIT 1").bind("id", done)
          .mapTo(String.class).one());
      service.ingestor.ingest(List.of(ServiceHarness.callback(UUID.randomUUID().toString(), lateComparison, true)));
      int processed = count(service, "SELECT count(*) FROM processed_events");
      assertThat(processed).isEqualTo(5); // 2 + 2 answers, 1 late
      assertThat(count(service, "SELECT count(*) FROM late_callbacks")).isEqualTo(1);

      AuditRetention retention = new AuditRetention(service.jdbi, service.comparisons, Duration.ofHours(24), clock);
      clock.advance(Duration.ofHours(23)); // rows are written with the database's clock: keep well inside the day
      assertThat(retention.purge()).isEqualTo(new AuditRetention.Purged(0, 0));
      clock.advance(Duration.ofHours(2));
      assertThat(retention.purge()).isEqualTo(new AuditRetention.Purged(5, 1));
      assertThat(count(service, "SELECT count(*) FROM processed_events")).isZero();

      // Redelivered after its dedupe row is gone: the comparison is answered already, so it is a duplicate.
      service.ingestor.ingest(answers);
      assertThat(count(service, "SELECT judged FROM batches WHERE id = " + active)).isEqualTo(2);
      assertThat(count(service, "SELECT duplicate_callbacks FROM batches WHERE id = " + active)).isEqualTo(2);
    }
  }

  private static int count(ServiceHarness service, String sql) {
    return service.jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }
}
