package org.cjassessment.service;

import org.cjassessment.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.cjassessment.core.batch.Decision;
import org.cjassessment.core.batch.FailureReason;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.service.batch.AnswerRetries;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An errored answer leaves its pair pending and asks it again after a backoff (30 s, 60 s, 120 s), re-sent by the
 * monitor sweep; it neither spends the budget nor counts against the success rate. Only a pair that is still an
 * error after the last retry is an error of the batch.
 */
@ExtendWith(SharedInfrastructure.class)
class ProviderErrorRetryTest {

  @Test
  void anErroredPairIsAskedAgainWithBackoffAndOnlyAPersistentErrorCounts() {
    MutableClock clock = new MutableClock();
    try (ServiceHarness service = new ServiceHarness(ServiceSettings.defaults(), clock)) {
      long job = service.submit("errors-" + UUID.randomUUID(), 4, Map.of(), 2);
      List<String[]> pairs = service.pending(job);
      String failing = pairs.get(0)[0];
      Duration[] waits = {Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};
      assertThat(AnswerRetries.defaults().maxRetries()).isEqualTo(waits.length);
      for (int attempt = 0; attempt < waits.length; attempt++) {
        service.ingestor.ingest(List.of(ServiceHarness.errorCallback(UUID.randomUUID().toString(), failing)));
        assertThat(counts(service, job)).as("judged, errored, pending after error %d", attempt + 1)
            .containsExactly(0, 0, 2);
        // Not due yet: the sweep re-sends nothing.
        clock.advance(waits[attempt].minusSeconds(1));
        service.monitor.sweep();
        assertThat(requestsFor(service, failing)).isEqualTo(attempt + 1);
        clock.advance(Duration.ofSeconds(1));
        service.monitor.sweep();
        assertThat(requestsFor(service, failing)).as("requests after retry %d", attempt + 1).isEqualTo(attempt + 2);
      }
      // The fourth error is final: now it is an error of the batch.
      service.ingestor.ingest(List.of(ServiceHarness.errorCallback(UUID.randomUUID().toString(), failing)));
      assertThat(counts(service, job)).containsExactly(0, 1, 1);
      service.ingestor.ingest(List.of(ServiceHarness.callback(UUID.randomUUID().toString(), pairs.get(1)[0], true)));
      assertThat(service.advancer.advance(job, Trigger.WAVE_COMPLETE).decision())
          .isInstanceOfSatisfying(Decision.Fail.class,
              f -> assertThat(f.reason()).isEqualTo(FailureReason.LOW_SUCCESS_RATE));
    }
  }

  @Test
  void anErrorThenAJudgementIsOneJudgement() {
    MutableClock clock = new MutableClock();
    try (ServiceHarness service = new ServiceHarness(ServiceSettings.defaults(), clock)) {
      long job = service.submit("recovers-" + UUID.randomUUID(), 4, Map.of(), 2);
      List<String[]> pairs = service.pending(job);
      service.ingestor.ingest(List.of(ServiceHarness.errorCallback(UUID.randomUUID().toString(), pairs.get(0)[0])));
      clock.advance(Duration.ofSeconds(30));
      service.monitor.sweep();
      service.answerPending(job, new Random(3));
      assertThat(counts(service, job)).containsExactly(2, 0, 0);
      assertThat(service.advancer.advance(job, Trigger.WAVE_COMPLETE).terminalTransition()).isTrue();
      assertThat(service.state(job)).isEqualTo("COMPLETED");
    }
  }

  /** judged, errored, pending comparisons of the batch. */
  private static List<Integer> counts(ServiceHarness service, long job) {
    return service.jdbi.withHandle(h -> h.createQuery("""
            SELECT judged, errored, submitted - judged - errored FROM batches WHERE id = :id
            """).bind("id", job).map((rs, ctx) -> List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3))).one());
  }

  private static int requestsFor(ServiceHarness service, String correlationId) {
    return service.jdbi.withHandle(h -> h.createQuery("""
            SELECT count(*) FROM outbox WHERE event_type = :type AND aggregate_id = :id
            """).bind("type", EventKind.COMPARISON_REQUESTED.defaultTopic()).bind("id", correlationId)
        .mapTo(Integer.class).one());
  }
}
