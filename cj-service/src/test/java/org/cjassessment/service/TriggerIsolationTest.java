package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.cjassessment.core.batch.Decision;
import org.cjassessment.core.batch.Outcome;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.service.batch.AdvanceResult;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed test plan, category 1, made strict: each trigger alone ends a batch in exactly one terminal transition with
 * exactly one event per kind.
 */
@ExtendWith(SharedInfrastructure.class)
class TriggerIsolationTest {

  private static ServiceHarness service;

  @BeforeAll
  static void start() {
    service = new ServiceHarness();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void waveCompletionAloneFinishesTheBatchOnce() {
    long job = service.submit("wave-" + UUID.randomUUID(), 10, Map.of(), 30);
    Random random = new Random(1);
    List<AdvanceResult> terminal = new ArrayList<>();
    for (int wave = 0; wave < 20 && !service.state(job).equals("COMPLETED"); wave++) {
      service.answerPending(job, random);
      AdvanceResult r = service.advancer.advance(job, Trigger.WAVE_COMPLETE);
      if (r.terminalTransition()) {
        terminal.add(r);
      }
    }
    assertThat(terminal).hasSize(1);
    assertThat(service.state(job)).isEqualTo("COMPLETED");
    assertOneEventPerKind(job);
    assertThat(service.advancer.advance(job, Trigger.WAVE_COMPLETE).decision())
        .isInstanceOf(Decision.AlreadyTerminal.class);
    assertOneEventPerKind(job);
  }

  @Test
  void theMonitorSweepAloneFinishesTheBatchOnce() {
    long job = service.submit("sweep-" + UUID.randomUUID(), 8, Map.of(), 16);
    Random random = new Random(2);
    int finished = 0;
    for (int wave = 0; wave < 20 && !service.state(job).equals("COMPLETED"); wave++) {
      service.answerPending(job, random); // callbacks committed, nobody advanced: the crash window
      finished += service.monitor.sweep().terminal();
    }
    assertThat(finished).isEqualTo(1);
    assertOneEventPerKind(job);
  }

  @Test
  void aStuckBatchWithEightyPercentJudgedIsForcedToCompletion() {
    long job = service.submit("stuck80-" + UUID.randomUUID(), 10, Map.of(), 5);
    List<String[]> pending = service.pending(job);
    assertThat(pending).hasSize(5);
    List<byte[]> four = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      four.add(ServiceHarness.callback(UUID.randomUUID().toString(), pending.get(i)[0], true));
    }
    service.ingestor.ingest(four);
    assertThat(service.monitor.sweep().terminal()).isZero(); // not stalled yet
    service.clock.advance(service.settings.stuckAfter().plusMinutes(1));
    assertThat(service.monitor.sweep().terminal()).isEqualTo(1);
    assertThat(outcome(job)).isEqualTo(Outcome.COMPLETE_FORCED_RECOVERY.name());
    assertOneEventPerKind(job);
    service.clock.advance(service.settings.stuckAfter().plusMinutes(1));
    assertThat(service.monitor.sweep().terminal()).isZero();
    assertOneEventPerKind(job);
  }

  @Test
  void aStuckBatchBelowEightyPercentIsRedispatchedOnceThenFailedOnce() {
    long job = service.submit("stuck-low-" + UUID.randomUUID(), 10, Map.of(), 5);
    List<String[]> pending = service.pending(job);
    service.ingestor.ingest(List.of(ServiceHarness.callback(UUID.randomUUID().toString(), pending.get(0)[0], true)));
    service.clock.advance(service.settings.stuckAfter().plusMinutes(1));
    assertThat(service.monitor.sweep().terminal()).isZero();
    assertThat(requestEvents(job)).isEqualTo(5 + 4); // the four lost requests were sent again
    service.clock.advance(service.settings.stuckAfter().plusMinutes(1));
    assertThat(service.monitor.sweep().terminal()).isEqualTo(1);
    assertThat(service.state(job)).isEqualTo("FAILED");
    assertThat(service.outboxRows(EventKind.FAILED.defaultTopic(), upstream(job))).isEqualTo(1);
    assertThat(service.outboxRows(EventKind.COMPLETED.defaultTopic(), upstream(job))).isZero();
    service.clock.advance(Duration.ofHours(10));
    assertThat(service.monitor.sweep().terminal()).isZero();
    assertThat(service.outboxRows(EventKind.FAILED.defaultTopic(), upstream(job))).isEqualTo(1);
  }

  private static void assertOneEventPerKind(long job) {
    String upstream = upstream(job);
    assertThat(service.outboxRows(EventKind.COMPLETED.defaultTopic(), upstream)).isEqualTo(1);
    assertThat(service.outboxRows(EventKind.RESULT_PUBLISHED.defaultTopic(), Long.toString(job))).isEqualTo(1);
    assertThat(service.outboxRows(EventKind.RESOURCE_CONSUMPTION.defaultTopic(), upstream)).isEqualTo(1);
    assertThat(service.outboxRows(EventKind.FAILED.defaultTopic(), upstream)).isZero();
  }

  private static String upstream(long job) {
    return service.jdbi.withHandle(h -> h.createQuery("SELECT upstream_batch_id FROM batches WHERE id = :id")
        .bind("id", job).mapTo(String.class).one());
  }

  private static String outcome(long job) {
    return service.jdbi.withHandle(h -> h.createQuery("SELECT outcome FROM batches WHERE id = :id")
        .bind("id", job).mapTo(String.class).one());
  }

  private static int requestEvents(long job) {
    return service.jdbi.withHandle(h -> h.createQuery("""
            SELECT count(*) FROM outbox o JOIN comparisons c ON o.aggregate_id = c.correlation_id::text
            WHERE c.batch_id = :id AND o.event_type = :t
            """).bind("id", job).bind("t", EventKind.COMPARISON_REQUESTED.defaultTopic()).mapTo(Integer.class).one());
  }
}
