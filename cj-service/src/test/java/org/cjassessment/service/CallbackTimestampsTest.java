package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cjassessment.service.callback.CallbackIngestor;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Judges stamp {@code completed_at} with whatever offset their host uses. Any valid ISO-8601 date-time is accepted
 * and stored as the instant it names, on a real database; only text that is no date-time is rejected. (Before, an
 * offset other than Z or +hh:mm was taken for "no offset", "Z" was appended, and the callback was dead-lettered.)
 */
@ExtendWith(SharedInfrastructure.class)
class CallbackTimestampsTest {

  @Test
  void callbacksWithAnyValidOffsetOrFractionAreAppliedAtTheInstantTheyName() {
    try (ServiceHarness service = new ServiceHarness()) {
      long job = service.submit("ts-" + UUID.randomUUID(), 18, Map.of(), 40);
      List<String[]> pending = service.pending(job);
      List<String> stamps = List.of("2026-03-02T09:04:00-05:00", "2026-03-02T15:04:00+01:00",
          "2026-03-02T14:04:00Z", "2026-03-02T14:04:00.123456789Z", "2026-03-02T09:04:00.5-05:00",
          "2026-03-02T14:04:00", "2026-03-02T19:34:00+0530");
      assertThat(pending.size()).isGreaterThanOrEqualTo(stamps.size());
      List<byte[]> callbacks = new ArrayList<>();
      for (int i = 0; i < stamps.size(); i++) {
        callbacks.add(withCompletedAt(ServiceHarness.callback(UUID.randomUUID().toString(), pending.get(i)[0], true),
            stamps.get(i)));
      }
      callbacks.add(withCompletedAt(ServiceHarness.callback(UUID.randomUUID().toString(), pending.get(7)[0], true),
          "yesterday at noon"));
      CallbackIngestor.Outcome outcome = service.ingestor.ingest(callbacks);
      assertThat(outcome.applied()).isEqualTo(stamps.size());
      assertThat(outcome.rejected()).hasSize(1);
      assertThat(outcome.rejected().get(0).toString()).contains("completed_at");
      List<Instant> answered = service.jdbi.withHandle(h -> h.createQuery("""
              SELECT answered_at FROM comparisons WHERE batch_id = :id AND status = 'JUDGED' ORDER BY answered_at
              """).bind("id", job).mapTo(Instant.class).list());
      assertThat(answered).containsExactlyInAnyOrder(Instant.parse("2026-03-02T14:04:00Z"),
          Instant.parse("2026-03-02T14:04:00Z"), Instant.parse("2026-03-02T14:04:00Z"),
          Instant.parse("2026-03-02T14:04:00.123457Z") /* PostgreSQL rounds to microseconds */,
          Instant.parse("2026-03-02T14:04:00.5Z"),
          Instant.parse("2026-03-02T14:04:00Z"), Instant.parse("2026-03-02T14:04:00Z"));
    }
  }

  /** The harness's callback with its {@code completed_at} replaced. */
  private static byte[] withCompletedAt(byte[] callback, String completedAt) {
    String json = new String(callback, StandardCharsets.UTF_8);
    return json.replaceFirst("\"completed_at\":\"[^\"]*\"", "\"completed_at\":\"" + completedAt + "\"")
        .getBytes(StandardCharsets.UTF_8);
  }
}
