package org.cjassessment.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the relay tells people and dashboards: metrics, one ERROR line per DEAD row with the commands that fix it, and
 * during an outage one WARN per {@link #FAILURE_LOG_INTERVAL} (the rest at DEBUG). Called from the publisher thread
 * only, after a round committed.
 */
final class RelayReport {

  // Logged as OutboxRelay: operators grep one logger for the relay, whichever class of it speaks.
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

  private final String name;
  private final int maxAttempts;
  private final RelayMetrics metrics;
  private final Clock clock;
  private long failuresSinceWarning;
  private long nextFailureWarning = System.nanoTime();

  RelayReport(String name, int maxAttempts, RelayMetrics metrics, Clock clock) {
    this.name = name;
    this.maxAttempts = maxAttempts;
    this.metrics = metrics;
    this.clock = clock;
  }

  void round(PublishRound.Result round) {
    for (Delivery d : round.acked()) {
      if (d.isAlreadyDelivered()) {
        // no append-to-ack figure: the acknowledgement went to an earlier attempt, whose relay never reported it
        metrics.alreadyDelivered(d.row.topic(), d.row.eventType());
        log.info("{}: {} was already on the broker (an earlier send whose outcome was not recorded reached it);"
            + " marked published without sending it again", name, d.row.describe());
      } else {
        Instant ackedAt = d.ackedAt() != null ? d.ackedAt() : clock.instant();
        metrics.published(d.row.topic(), d.row.eventType(), Duration.between(d.row.createdAt(), ackedAt));
      }
      PublicationLog.published(name, d.row); // the stable "event.published" line (cj audit logs), once per event
    }
    for (ClaimedRow row : round.deferred()) {
      log.debug("{}: {} was being sent by a relay that stopped moments ago; looking for it on the broker later",
          name, row.describe());
    }
    PublishRound.Failure firstRetry = null;
    int retries = 0;
    for (PublishRound.Failure f : round.failures()) {
      metrics.publishFailed(f.row().topic(), f.row().eventType(), f.attempts());
      if (f.dead()) {
        metrics.dead(f.row().topic(), f.row().eventType());
        log.error(
            "{}: {} is DEAD after {} failed attempts (limit maxAttempts={}); last error: {}. It will not be retried"
                + " automatically and no longer holds back later rows of key '{}'. Inspect with `cj outbox dead`,"
                + " fix the cause, then re-drive it with `cj outbox retry {}`",
            name, f.row().describe(), f.attempts(), maxAttempts, f.error(), f.row().key(), f.row().id());
      } else {
        retries++;
        if (firstRetry == null) {
          firstRetry = f;
        }
        log.debug("{}: {} of {} failed: {}", name, attempt(f.attempts(), maxAttempts), f.row().describe(),
            f.error());
      }
    }
    if (firstRetry != null) {
      // an outage fails every row in every round: one WARN per FAILURE_LOG_INTERVAL, the rest at DEBUG
      failuresSinceWarning += retries;
      long now = System.nanoTime();
      if (now - nextFailureWarning >= 0) {
        log.warn(
            "{}: {} publish attempts failed since the last report and will be retried with backoff; latest: {}"
                + " {}, next at {}: {}",
            name, failuresSinceWarning, firstRetry.row().describe(), attempt(firstRetry.attempts(), maxAttempts),
            firstRetry.nextAttemptAt(), firstRetry.error());
        failuresSinceWarning = 0;
        nextFailureWarning = now + FAILURE_LOG_INTERVAL.toNanos();
      }
    }
  }

  /**
   * "attempt 3/12" while the row is within its ladder. A row still PENDING beyond it failed because the broker is
   * unreachable ({@link PublishRound#isOutage}), which never makes a row DEAD: "attempt 30/12" would read as a
   * broken limit, so say what is happening instead.
   */
  static String attempt(int attempts, int maxAttempts) {
    return attempts < maxAttempts ? "attempt " + attempts + "/" + maxAttempts
        : "attempt " + attempts + ", broker unreachable: kept PENDING past maxAttempts=" + maxAttempts
            + ", retried with capped backoff";
  }

  void backlog(RelayQueries.Backlog backlog) {
    metrics.backlog(backlog.pendingRows(), backlog.oldestPendingAge());
  }

  void retentionDeleted(int rows, Instant cutoff) {
    if (rows > 0) {
      metrics.retentionDeleted(rows);
      log.debug("{}: retention deleted {} rows published before {}", name, rows, cutoff);
    }
  }

  void roundFailed(RuntimeException e, long retryInMillis) {
    metrics.relayError(e);
    log.warn(
        "{}: round failed ({}); claimed rows were rolled back and stay PENDING; trying again in {} ms",
        name, OutboxRelay.oneLine(e), retryInMillis);
  }
}
