package org.cjassessment.outbox;

/** Where an outbox row is in its life. */
public enum OutboxStatus {
  /** Committed, not yet acknowledged by the broker; the relay will (re)try it when due. */
  PENDING,
  /** Acknowledged by the broker; deleted by retention after a while. */
  PUBLISHED,
  /** Gave up after the configured number of attempts; never fetched again until an operator retries it. */
  DEAD
}
