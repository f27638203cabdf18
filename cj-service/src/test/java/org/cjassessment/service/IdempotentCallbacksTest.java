package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.cjassessment.core.batch.Decision;
import org.cjassessment.core.batch.Outcome;
import org.cjassessment.core.batch.StopReason;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.core.bt.BradleyTerry;
import org.cjassessment.core.bt.EssayEstimate;
import org.cjassessment.core.bt.FitOptions;
import org.cjassessment.core.bt.FitResult;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.service.batch.BatchRow;
import org.cjassessment.service.batch.EventFactory;
import org.cjassessment.service.batch.Finalizer;
import org.cjassessment.service.callback.CallbackIngestor;
import org.cjassessment.outbox.JdbiOutboxStore;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed test plan, categories 3 and 4, made strict: every callback delivered two or three times, shuffled across
 * polls, some again as a new event (a logical duplicate), some after the batch is terminal; re-finalizing after the
 * events were published. Nothing is counted twice and no event is added.
 */
@ExtendWith(SharedInfrastructure.class)
class IdempotentCallbacksTest {

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
  void duplicatedShuffledAndLateCallbacksChangeNothing() {
    long job = service.submit("dup-" + UUID.randomUUID(), 10, Map.of(), 20);
    Random random = new Random(11);
    Map<String, Boolean> decided = new HashMap<>();
    List<byte[]> heldBack = new ArrayList<>();
    int deliveries = 0;
    int firstDeliveries = 0;
    for (int wave = 0; wave < 10 && !service.state(job).equals("COMPLETED"); wave++) {
      List<byte[]> wire = new ArrayList<>();
      for (String[] p : service.pending(job)) {
        boolean firstWon = ServiceHarness.firstWins(p[1], p[2], random);
        decided.put(p[0], firstWon);
        byte[] message = ServiceHarness.callback(UUID.randomUUID().toString(), p[0], firstWon);
        int copies = 2 + random.nextInt(2);
        for (int c = 0; c < copies; c++) {
          wire.add(message);
        }
        firstDeliveries++;
        if (random.nextBoolean()) {
          wire.add(ServiceHarness.callback(UUID.randomUUID().toString(), p[0], firstWon)); // new id, same answer
        }
        heldBack.add(message);
      }
      Collections.shuffle(wire, random);
      deliveries += wire.size();
      // Deliver in polls of random size; advance what each poll completes, as the Kafka handler does.
      for (int from = 0; from < wire.size();) {
        int to = Math.min(wire.size(), from + 1 + random.nextInt(6));
        CallbackIngestor.Outcome outcome = service.ingestor.ingest(wire.subList(from, to));
        outcome.waveComplete().forEach(id -> service.advancer.advance(id, Trigger.WAVE_COMPLETE));
        from = to;
      }
    }
    assertThat(service.state(job)).isEqualTo("COMPLETED");
    int outboxBefore = outboxSize();

    Collections.shuffle(heldBack, random);
    CallbackIngestor.Outcome late = service.ingestor.ingest(heldBack);
    assertThat(late.waveComplete()).isEmpty();
    assertThat(late.applied()).isZero();
    assertThat(outboxSize()).isEqualTo(outboxBefore);
    CallbackIngestor.Outcome lateNew = service.ingestor.ingest(List.of(
        ServiceHarness.callback(UUID.randomUUID().toString(), decided.keySet().iterator().next(), true)));
    assertThat(lateNew.late()).isEqualTo(1);
    assertThat(service.advancer.advance(job, Trigger.WAVE_COMPLETE).decision())
        .isInstanceOf(Decision.AlreadyTerminal.class);
    assertThat(outboxSize()).isEqualTo(outboxBefore);

    // Every comparison counted once, with the answer the judge gave.
    var batch = service.jdbi.withHandle(h -> service.store.find(h, job)).orElseThrow();
    assertThat(batch.judged()).isEqualTo(decided.size()).isEqualTo(firstDeliveries);
    assertThat(batch.duplicateCallbacks() + batch.lateCallbacks())
        .isEqualTo(deliveries - firstDeliveries + heldBack.size() + 1);
    service.jdbi.useHandle(h -> h.createQuery("""
            SELECT correlation_id::text, winner = essay_a FROM comparisons WHERE batch_id = :id
            """).bind("id", job).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBoolean(2)))
        .forEach(e -> assertThat(e.getValue()).isEqualTo(decided.get(e.getKey()))));
    // The stored scores are the fit of the distinct judgements: nothing was double counted.
    FitResult fit = service.jdbi.withHandle(h -> BradleyTerry.fit(service.comparisons.judged(h, job),
        service.store.essayIds(h, job), FitOptions.defaults().withPriorSd(service.settings.priorSd())));
    assertThat(fit.comparisons()).isEqualTo(decided.size());
    service.jdbi.useHandle(h -> service.store.essays(h, job).forEach(e -> {
      EssayEstimate expected = fit.essay(e.essayId()).orElseThrow();
      assertThat(e.score()).isEqualTo(expected.score());
      assertThat(e.rank()).isEqualTo(expected.rank());
    }));
    assertThat(service.outboxRows(EventKind.COMPLETED.defaultTopic(), batch.upstreamBatchId())).isEqualTo(1);
  }

  @Test
  void refinalizingAfterPublicationAddsNothing() {
    long job = service.submit("refin-" + UUID.randomUUID(), 4, Map.of(), 2);
    service.answerPending(job, new Random(5));
    assertThat(service.advancer.advance(job, Trigger.WAVE_COMPLETE).terminalTransition()).isTrue();
    // The relay published everything.
    service.jdbi.useHandle(h -> h.execute("UPDATE outbox SET status = 'PUBLISHED', published_at = now()"));
    int before = outboxSize();
    for (Trigger t : Trigger.values()) {
      assertThat(service.advancer.advance(job, t).decision()).isInstanceOf(Decision.AlreadyTerminal.class);
    }
    // Even a finalizer called with a stale snapshot (a bug elsewhere) cannot add events: the guarded update refuses
    // and the transaction rolls back with its outbox rows.
    BatchRow stale = service.jdbi.withHandle(h -> service.store.find(h, job)).orElseThrow();
    Finalizer finalizer = new Finalizer(service.store, service.comparisons, new EventFactory(service.settings),
        new JdbiOutboxStore(), service.settings);
    assertThatThrownBy(() -> service.jdbi.useTransaction(
        h -> finalizer.complete(h, stale, Outcome.COMPLETE_STABLE, StopReason.SCORES_STABLE, Trigger.OPERATOR,
            service.clock.instant())))
        .hasMessageContaining("no longer active");
    assertThat(outboxSize()).isEqualTo(before);
    // And the database itself refuses to leave a terminal state.
    assertThatThrownBy(() -> service.jdbi
        .useHandle(h -> h.execute("UPDATE batches SET state = 'COMPARING', outcome = NULL WHERE id = ?", job)))
        .hasMessageContaining("illegal batch state transition");
  }

  private static int outboxSize() {
    return service.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM outbox").mapTo(Integer.class).one());
  }
}
