package org.cjassessment.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher thread's body: rounds back to back while they find work, then sleep until woken (NOTIFY or
 * {@link OutboxRelay#wake()}), until the earliest retry is due, or at most {@code pollInterval}; between rounds, the
 * backlog report and retention. A failed round (database unreachable, ...) rolls back and is retried with a doubling
 * pause. It keeps one handle open and replaces it after a failure.
 */
final class RelayLoop implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class); // one logger for the relay

  private static final Duration BACKLOG_REPORT_INTERVAL = Duration.ofSeconds(1);
  private static final Duration RETENTION_TIME_BUDGET = Duration.ofMillis(200);

  private final String name;
  private final Jdbi jdbi;
  private final PublishRound round;
  private final RelayReport report;
  private final WakeSignal signal;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration retention;
  private final Duration retentionInterval;
  private final int retentionBatchSize;

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private volatile boolean running = true;
  private Handle handle; // publisher thread only

  RelayLoop(String name, Jdbi jdbi, PublishRound round, RelayReport report, WakeSignal signal, Clock clock,
      Duration pollInterval, Duration retention, Duration retentionInterval, int retentionBatchSize) {
    this.name = name;
    this.jdbi = jdbi;
    this.round = round;
    this.report = report;
    this.signal = signal;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.retention = retention;
    this.retentionInterval = retentionInterval;
    this.retentionBatchSize = retentionBatchSize;
  }

  /** Ends the loop after the current round (or at once if it is waiting). */
  void stop() {
    running = false;
    stopRequested.countDown();
    signal.wake();
  }

  @Override
  public void run() {
    long errorDelayMillis = 0;
    long nextBacklogReport = System.nanoTime();
    long nextRetention = System.nanoTime();
    try {
      while (running) {
        try {
          Handle h = handle();
          PublishRound.Result result = round.run(h);
          report.round(result);
          boolean moreWork = round.leftWork(result);
          errorDelayMillis = 0;
          long now = System.nanoTime();
          if (now - nextBacklogReport >= 0) {
            report.backlog(RelayQueries.backlog(h));
            nextBacklogReport = now + BACKLOG_REPORT_INTERVAL.toNanos();
          }
          if (now - nextRetention >= 0) {
            boolean more = deleteOldPublishedRows(h);
            nextRetention = more ? System.nanoTime() : System.nanoTime() + retentionInterval.toNanos();
          }
          if (moreWork) {
            continue;
          }
          if (signal.await(0)) {
            continue; // woken while busy: new rows, skip the idle bookkeeping
          }
          signal.await(idleWaitNanos(h, nextRetention));
        } catch (RuntimeException e) {
          if (!running) {
            break;
          }
          discardHandle();
          errorDelayMillis = errorDelayMillis == 0 ? 100 : Math.min(errorDelayMillis * 2, pollInterval.toMillis());
          report.roundFailed(e, errorDelayMillis);
          stopRequested.await(errorDelayMillis, TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      discardHandle();
      round.close();
    }
  }

  private boolean deleteOldPublishedRows(Handle h) {
    Instant cutoff = clock.instant().minus(retention);
    long deadline = System.nanoTime() + RETENTION_TIME_BUDGET.toNanos();
    int total = 0;
    int deleted;
    do {
      deleted = RelayQueries.deletePublishedBefore(h, cutoff, retentionBatchSize);
      total += deleted;
    } while (deleted == retentionBatchSize && running && System.nanoTime() - deadline < 0);
    report.retentionDeleted(total, cutoff);
    return deleted == retentionBatchSize; // more to delete: continue soon, between rounds
  }

  private long idleWaitNanos(Handle h, long nextRetention) {
    Instant now = clock.instant();
    long wait = pollInterval.toNanos();
    Optional<Instant> due = RelayQueries.nextDue(h, now);
    if (due.isPresent()) {
      wait = Math.min(wait, Math.max(TimeUnit.MILLISECONDS.toNanos(1), Duration.between(now, due.get()).toNanos()));
    }
    return Math.max(0, Math.min(wait, nextRetention - System.nanoTime()));
  }

  private Handle handle() {
    if (handle == null) {
      handle = jdbi.open();
    }
    return handle;
  }

  private void discardHandle() {
    if (handle != null) {
      try {
        handle.close();
      } catch (RuntimeException e) {
        log.debug("{}: closing a broken handle failed: {}", name, OutboxRelay.oneLine(e));
      }
      handle = null;
    }
  }
}
