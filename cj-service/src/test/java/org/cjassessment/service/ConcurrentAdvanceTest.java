package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.cjassessment.core.batch.Decision;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.service.batch.AdvanceResult;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed test plan, category 2, made strict: 200 batches whose last wave is complete, 16 threads calling advance
 * concurrently from every trigger (and two of them running monitor sweeps) on the real database. Exactly one
 * terminal transition and one outbox row per event kind per batch; the event ids are the deterministic ones, so a
 * rerun produces the same ids.
 */
@ExtendWith(SharedInfrastructure.class)
class ConcurrentAdvanceTest {

  private static final int BATCHES = 200;
  private static final int THREADS = 16;
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
  void everyBatchFinishesExactlyOnceWhateverRaces() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<Long> jobs = new ArrayList<>();
    Random judge = new Random(7);
    for (int i = 0; i < BATCHES; i++) {
      long job = service.submit(run + "-" + i, 4, Map.of(), 2); // one wave of two pairs spends the budget
      service.answerPending(job, judge); // wave complete, nobody has advanced yet
      jobs.add(job);
    }

    AtomicInteger total = new AtomicInteger();
    Map<Long, AtomicInteger> terminal = race(jobs, total);
    // Every batch completed, no batch saw two transitions, and the transitions add up to one per batch.
    assertThat(total).hasValue(BATCHES);
    for (long job : jobs) {
      assertThat(terminal.get(job).get()).as("terminal transitions of batch %d", job).isLessThanOrEqualTo(1);
    }
    assertExactlyOneEventPerKindWithDeterministicIds(jobs);

    // A second round of every trigger changes nothing.
    AtomicInteger more = new AtomicInteger();
    race(jobs, more);
    assertThat(more).hasValue(0);
    assertExactlyOneEventPerKindWithDeterministicIds(jobs);
  }

  private static Map<Long, AtomicInteger> race(List<Long> jobs, AtomicInteger total) throws Exception {
    return race(jobs, total, Trigger.WAVE_COMPLETE, Trigger.MONITOR_SWEEP, Trigger.STUCK_RECOVERY, Trigger.OPERATOR);
  }

  private static Map<Long, AtomicInteger> race(List<Long> jobs, AtomicInteger total, Trigger... triggers)
      throws Exception {
    Map<Long, AtomicInteger> terminal = new ConcurrentHashMap<>();
    jobs.forEach(j -> terminal.put(j, new AtomicInteger()));
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        go.await();
        if (thread < 2) {
          for (int k = 0; k < 3; k++) {
            total.addAndGet(service.monitor.sweep().terminal());
          }
          return null;
        }
        List<Long> order = new ArrayList<>(jobs);
        Collections.shuffle(order, new Random(thread));
        Random random = new Random(100 + thread);
        for (long job : order) {
          AdvanceResult r = service.advancer.advance(job, triggers[random.nextInt(triggers.length)]);
          if (r.terminalTransition()) {
            terminal.get(job).incrementAndGet();
            total.incrementAndGet();
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    return terminal;
  }

  private static void assertExactlyOneEventPerKindWithDeterministicIds(List<Long> jobs) {
    for (long job : jobs) {
      assertThat(service.state(job)).isEqualTo("COMPLETED");
      String jobId = Long.toString(job);
      List<UUID> ids = service.jdbi.withHandle(h -> h.createQuery("""
              SELECT event_id FROM outbox WHERE event_type = ANY(:types)
                AND (aggregate_id = :job OR aggregate_id = (SELECT upstream_batch_id FROM batches WHERE id = :id))
              ORDER BY event_type
              """)
          .bindArray("types", String.class, List.of(EventKind.COMPLETED.defaultTopic(),
              EventKind.RESULT_PUBLISHED.defaultTopic(), EventKind.RESOURCE_CONSUMPTION.defaultTopic(),
              EventKind.FAILED.defaultTopic()))
          .bind("job", jobId).bind("id", job)
          .mapTo(UUID.class).list());
      assertThat(ids).containsExactlyInAnyOrder(EventKind.COMPLETED.eventId(jobId),
          EventKind.RESULT_PUBLISHED.eventId(jobId), EventKind.RESOURCE_CONSUMPTION.eventId(jobId));
    }
    // The audit of SPEC §4.6: events / distinct batches = 1.0 per event type.
    service.jdbi.useHandle(h -> h.createQuery("""
            SELECT event_type, count(*)::float / count(DISTINCT aggregate_id) FROM outbox
            WHERE event_type <> :requests GROUP BY event_type
            """).bind("requests", EventKind.COMPARISON_REQUESTED.defaultTopic())
        .map((rs, ctx) -> rs.getDouble(2)).forEach(ratio -> assertThat(ratio).isEqualTo(1.0)));
  }

  /**
   * Batches with budget left: a complete first wave (3 of 6 comparisons) makes every trigger decide NextWave. Only
   * the row lock keeps two of those decisions from both dispatching a wave: without it they read the same counts,
   * over-spend the budget (9 of 6) or collide on the second wave's rows and fail the batch. Removing
   * {@code FOR UPDATE} from {@code BatchStore.lock} makes this test fail.
   */
  @Test
  void concurrentNextWaveDecisionsNeverOverDispatch() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<Long> jobs = new ArrayList<>();
    Random judge = new Random(11);
    for (int i = 0; i < BATCHES / 2; i++) {
      long job = service.submit(run + "-next-" + i, 6, Map.of(), 6); // first wave: 3 pairs of the 6 budgeted
      service.answerPending(job, judge);
      jobs.add(job);
    }
    // Not OPERATOR: an operator's advance finishes a batch with pending comparisons early, by design.
    race(jobs, new AtomicInteger(), Trigger.WAVE_COMPLETE, Trigger.MONITOR_SWEEP, Trigger.STUCK_RECOVERY);
    for (long job : jobs) {
      int[] progress = service.jdbi.withHandle(h -> h.createQuery("""
              SELECT b.submitted, b.budget, b.wave, (SELECT count(*) FROM comparisons c WHERE c.batch_id = b.id)
              FROM batches b WHERE b.id = :id
              """).bind("id", job)
          .map((rs, ctx) -> new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)}).one());
      assertThat(service.state(job)).as("state of batch %d", job).isEqualTo("COMPARING");
      assertThat(progress[0]).as("submitted of batch %d", job).isEqualTo(progress[1]);
      assertThat(progress[2]).as("waves of batch %d", job).isEqualTo(2);
      assertThat(progress[3]).as("comparison rows of batch %d", job).isEqualTo(progress[1]);
    }
    int failed = service.jdbi.withHandle(h -> h.createQuery(
        "SELECT count(*) FROM batches WHERE id = ANY(:ids) AND state = 'FAILED'")
        .bindArray("ids", Long.class, jobs).mapTo(Integer.class).one());
    assertThat(failed).as("batches failed (PROCESSING_ERROR)").isZero();
  }

  @Test
  void decisionsOfTheLosersAreAlreadyTerminal() {
    long job = service.submit("single-" + UUID.randomUUID(), 4, Map.of(), 2);
    service.answerPending(job, new Random(3));
    assertThat(service.advancer.advance(job, Trigger.OPERATOR).terminalTransition()).isTrue();
    assertThat(service.advancer.advance(job, Trigger.WAVE_COMPLETE).decision())
        .isInstanceOf(Decision.AlreadyTerminal.class);
  }
}
