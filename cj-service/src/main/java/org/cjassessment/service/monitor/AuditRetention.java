package org.cjassessment.service.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.cjassessment.inbox.Inbox;
import org.cjassessment.service.batch.ComparisonStore;
import org.cjassessment.service.callback.CallbackIngestor;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the callback path's bookkeeping from growing forever: processed-event rows (the dedupe by event id) and
 * late-callback audit rows older than the retention are deleted. Forgetting an old event id is safe: a callback
 * redelivered after the retention still meets the business-key dedupe (a comparison is answered once) or, for a
 * finished batch, is recorded as late again. Choose a retention longer than the callback topic's.
 */
public final class AuditRetention {

  private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);

  /** What one purge deleted. */
  public record Purged(int processedEvents, int lateCallbacks) {}

  private final Jdbi jdbi;
  private final ComparisonStore comparisons;
  private final Duration retention;
  private final Clock clock;

  public AuditRetention(Jdbi jdbi, ComparisonStore comparisons, Duration retention, Clock clock) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("audit retention must be positive, got " + retention);
    }
    this.jdbi = jdbi;
    this.comparisons = comparisons;
    this.retention = retention;
    this.clock = clock;
  }

  public Purged purge() {
    Instant now = clock.instant();
    Purged purged = jdbi.inTransaction(h -> new Purged(
        Inbox.purgeOlderThan(h, CallbackIngestor.CONSUMER, retention, now),
        comparisons.purgeLateBefore(h, now.minus(retention))));
    if (purged.processedEvents() + purged.lateCallbacks() > 0) {
      LOG.info("retention: deleted {} processed-event and {} late-callback rows older than {}",
          purged.processedEvents(), purged.lateCallbacks(), retention);
    }
    return purged;
  }
}
