package org.cjassessment.service.monitor;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.Failures;
import org.cjassessment.service.ServiceSettings;
import org.cjassessment.service.batch.AdvanceResult;
import org.cjassessment.service.batch.BatchAdvancer;
import org.cjassessment.service.batch.BatchStore;
import org.cjassessment.service.batch.ComparisonStore;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic safety net. (1) Sweep: batches whose wave is complete but that were not advanced (a crash between the
 * callback commit and advance). (2) Stuck: batches without activity for the stuck timeout go to stuck recovery
 * (re-dispatch, forced completion at ≥ 80 % of budget, or failure). Both only call {@code advance}, which is safe
 * under any concurrency (row lock, re-read, decide), so several instances may sweep at the same time: the second
 * advance of a batch finds it already moved on and does nothing.
 */
public final class BatchMonitor {

  private static final Logger LOG = LoggerFactory.getLogger(BatchMonitor.class);

  /** What one sweep did; {@code errors} counts the batches whose advance threw (they are retried next sweep). */
  public record Report(int swept, int stuck, int terminal, int errors) {}

  private final Jdbi jdbi;
  private final BatchStore store;
  private final ComparisonStore comparisons;
  private final BatchAdvancer advancer;
  private final ServiceSettings settings;
  private final Clock clock;

  public BatchMonitor(Jdbi jdbi, BatchStore store, ComparisonStore comparisons, BatchAdvancer advancer,
      ServiceSettings settings, Clock clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.comparisons = comparisons;
    this.advancer = advancer;
    this.settings = settings;
    this.clock = clock;
  }

  public Report sweep() {
    Instant now = clock.instant();
    Instant stuckBefore = now.minus(settings.stuckAfter());
    List<Long> waveComplete = jdbi.withHandle(store::waveComplete);
    List<Long> stuck = jdbi.withHandle(h -> store.inactiveSince(h, stuckBefore));
    // Batches with a provider-error retry due: their advance re-sends the request (and then waits).
    List<Long> retries = jdbi.withHandle(h -> comparisons.batchesWithDueRetries(h, now));
    retries.removeAll(waveComplete);
    int terminal = 0;
    int errors = 0;
    for (long id : retries) {
      errors += advance(id, Trigger.MONITOR_SWEEP) == null ? 1 : 0;
    }
    for (long id : waveComplete) {
      AdvanceResult r = advance(id, Trigger.MONITOR_SWEEP);
      terminal += r != null && r.terminalTransition() ? 1 : 0;
      errors += r == null ? 1 : 0;
    }
    for (long id : stuck) {
      AdvanceResult r = advance(id, Trigger.STUCK_RECOVERY);
      terminal += r != null && r.terminalTransition() ? 1 : 0;
      errors += r == null ? 1 : 0;
    }
    if (!waveComplete.isEmpty() || !stuck.isEmpty()) {
      LOG.info("monitor: {} wave-complete and {} stuck batches advanced, {} finished, {} failed to advance",
          waveComplete.size(), stuck.size(), terminal, errors);
    }
    return new Report(waveComplete.size(), stuck.size(), terminal, errors);
  }

  /**
   * One batch's advance; whatever it throws stays with that batch (null), so a batch that cannot be advanced never
   * keeps the monitor from the batches after it. A permanent failure has already failed the batch inside advance;
   * what reaches here is transient (the next sweep retries it) or a bug in the failure path itself.
   */
  private AdvanceResult advance(long batchId, Trigger trigger) {
    try {
      return advancer.advance(batchId, trigger);
    } catch (RuntimeException e) {
      if (Failures.isTransient(e)) {
        LOG.warn("monitor: advancing batch {} ({}) failed, next sweep retries: {}", batchId, trigger,
            Failures.describe(e));
      } else {
        LOG.error("monitor: advancing batch {} ({}) failed, next sweep retries", batchId, trigger, e);
      }
      return null;
    }
  }
}
