package org.cjassessment.inbox;

/** What happened to each record, for metrics; every method defaults to a no-op. Called on the consumer thread. */
public interface InboxListener {

  /** The handler's effect committed. */
  default void applied(InboxRecord record) {}

  /** The event id was already processed by this consumer: skipped, nothing ran. */
  default void duplicate(InboxRecord record) {}

  /** The handler failed; the transaction rolled back and the record will be tried again ({@code attempt} ≥ 1). */
  default void retrying(InboxRecord record, int attempt, Exception cause) {}

  /** The record went to the dead-letter topic with {@code reason}. {@code record} is null if it had no event id. */
  default void deadLettered(String sourceTopic, String reason) {}

  /** Retention removed {@code rows} processed-event rows. */
  default void purged(int rows) {}
}
