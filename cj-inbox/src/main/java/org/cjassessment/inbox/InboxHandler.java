package org.cjassessment.inbox;

import org.jdbi.v3.core.Handle;

/**
 * A consumer's effect for one record, applied inside the inbox's transaction on {@code handle}: everything it writes
 * commits together with the record's processed-event row, or not at all.
 *
 * <p>Throw {@link PoisonRecordException} for a record that can never succeed (unreadable, violates the contract): it
 * is dead-lettered at once. Any other exception rolls the transaction back and the record is retried with backoff,
 * then dead-lettered. Do not call Kafka or other systems from here: a retry would repeat that call.
 */
@FunctionalInterface
public interface InboxHandler {
  void handle(Handle handle, InboxRecord record) throws Exception;
}
