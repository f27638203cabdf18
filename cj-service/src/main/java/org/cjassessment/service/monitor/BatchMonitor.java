package org.cjassessment.service.monitor;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.ServiceSettings;
import org.cjassessment.service.batch.AdvanceResult;
import org.cjassessment.service.batch.BatchAdvancer;
import org.cjassessment.service.batch.BatchStore;
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

  /** What one sweep did. */
  public record Report(int swept, int stuck, int terminal) {}

  private final Jdbi jdbi;
  private final BatchStore store;
  private final BatchAdvancer advancer;
  private final ServiceSettings settings;
  private final Clock clock;

  public BatchMonitor(Jdbi jdbi, BatchStore store, BatchAdvancer advancer, ServiceSettings settings, Clock clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.advancer = advancer;
    this.settings = settings;
    this.clock = clock;
  }

  public Report sweep() {
    Instant now = clock.instant();
    Instant stuckBefore = now.minus(settings.stuckAfter());
    List<Long> waveComplete = jdbi.withHandle(store::waveComplete);
    List<Long> stuck = jdbi.withHandle(h -> store.inactiveSince(h, stuckBefore));
    int terminal = 0;
    for (long id : waveComplete) {
      terminal += advancer.advance(id, Trigger.MONITOR_SWEEP).terminalTransition() ? 1 : 0;
    }
    for (long id : stuck) {
      AdvanceResult r = advancer.advance(id, Trigger.STUCK_RECOVERY);
      terminal += r.terminalTransition() ? 1 : 0;
    }
    if (!waveComplete.isEmpty() || !stuck.isEmpty()) {
      LOG.info("monitor: {} wave-complete and {} stuck batches advanced, {} finished", waveComplete.size(),
          stuck.size(), terminal);
    }
    return new Report(waveComplete.size(), stuck.size(), terminal);
  }
}
