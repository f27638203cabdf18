package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cjassessment.core.batch.Decision;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.service.batch.AdvanceResult;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A statement cancelled by the server (here: {@code pg_cancel_backend} from a second connection, as a statement
 * timeout or an operator would) while the completion events are appended to the outbox is transient: the advance
 * fails, the batch stays COMPARING, and the next advance completes it. Before, the outbox dropped the cause and the
 * advancer took the failure for a bug: a healthy batch ended FAILED with PROCESSING_ERROR.
 */
@ExtendWith(SharedInfrastructure.class)
class TransientFailuresTest {

  @Test
  void aCancelledOutboxAppendIsRetriedAndNeverFailsTheBatch() throws Exception {
    try (ServiceHarness service = new ServiceHarness()) {
      String upstream = "cancel-" + UUID.randomUUID();
      long job = service.submit(upstream, 4, Map.of(), 2); // one wave spends the budget: next advance finalizes
      service.answerPending(job, new Random(5));
      // The completion event's insert sleeps, so that there is a statement to cancel while it runs.
      service.jdbi.useHandle(h -> h.execute("""
          CREATE FUNCTION test_slow_append() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.event_type = '%s' THEN PERFORM pg_sleep(60); END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER test_slow_append BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION test_slow_append();
          """.formatted(EventKind.COMPLETED.defaultTopic())));
      ExecutorService thread = Executors.newSingleThreadExecutor();
      try {
        Future<AdvanceResult> advance = thread.submit(() -> service.advancer.advance(job, Trigger.WAVE_COMPLETE));
        await().atMost(Duration.ofSeconds(30)).until(() -> cancelSleepingStatement(service));

        assertThatThrownBy(advance::get).satisfies(e -> assertThat(Failures.isTransient(e.getCause())).isTrue());
      } finally {
        thread.shutdownNow();
      }
      assertThat(service.state(job)).isEqualTo("COMPARING");
      assertThat(service.outboxRows(EventKind.FAILED.defaultTopic(), upstream)).isZero();

      service.jdbi.useHandle(h -> h.execute("DROP TRIGGER test_slow_append ON outbox"));
      assertThat(service.advancer.advance(job, Trigger.MONITOR_SWEEP).decision())
          .isInstanceOf(Decision.Finalize.class);
      assertThat(service.state(job)).isEqualTo("COMPLETED");
      assertThat(service.outboxRows(EventKind.COMPLETED.defaultTopic(), upstream)).isEqualTo(1);
    }
  }

  /** Cancels the statement waiting in pg_sleep, if there is one yet. */
  private static boolean cancelSleepingStatement(ServiceHarness service) {
    return service.jdbi.withHandle(h -> h.createQuery("""
            SELECT count(*) FILTER (WHERE pg_cancel_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event = 'PgSleep' AND pid <> pg_backend_pid()
            """).mapTo(Integer.class).one()) == 1;
  }
}
