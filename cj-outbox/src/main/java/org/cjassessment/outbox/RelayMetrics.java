package org.cjassessment.outbox;

import java.time.Duration;

/**
 * What the relay reports, for a metrics library to record. Every method defaults to a no-op so an adapter (e.g.
 * Micrometer in the service) implements only what it records, and this module depends on no metrics library.
 * Methods are called from the relay's thread and must not block or throw.
 */
public interface RelayMetrics {

  /** A relay that reports nothing. */
  RelayMetrics NONE = new RelayMetrics() {};

  /**
   * A row was acknowledged by the broker and marked published.
   *
   * @param appendToAck from the row's insert (database clock) to the broker's acknowledgement (relay clock): an
   *     upper bound on commit-to-broker latency, assuming the two clocks agree
   */
  default void published(String topic, String eventType, Duration appendToAck) {}

  /**
   * A row that may have been sent before (its relay died, or lost its commit, after it started sending; or its last
   * attempt failed) was found on the broker and marked published without sending it again.
   */
  default void alreadyDelivered(String topic, String eventType) {}

  /** A publish attempt failed; the row will be retried after its backoff. */
  default void publishFailed(String topic, String eventType, int failedAttempts) {}

  /** A row exhausted its attempts and is now DEAD (needs an operator). */
  default void dead(String topic, String eventType) {}

  /**
   * The unpublished backlog, reported at most about once a second.
   *
   * @param oldestPendingAge age of the oldest PENDING row (zero if none)
   */
  default void backlog(long pendingRows, Duration oldestPendingAge) {}

  /** The relay loop itself failed (database unreachable, ...) and will try again. */
  default void relayError(Throwable error) {}

  /** Retention deleted this many published rows. */
  default void retentionDeleted(int rows) {}
}
