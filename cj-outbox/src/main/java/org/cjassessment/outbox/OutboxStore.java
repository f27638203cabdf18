package org.cjassessment.outbox;

import org.jdbi.v3.core.Handle;

/** The write side of the outbox: what a service calls inside its business transaction. */
public interface OutboxStore {

  /**
   * Adds {@code message} to the outbox in the transaction {@code handle} is in (or, in auto-commit mode, on its own),
   * so the event is committed together with the state change it describes, or not at all.
   *
   * @return {@code true} if a row was inserted; {@code false} if a row with the same event id already exists (an
   *     expected outcome when a finalization is repeated, not an error)
   */
  boolean append(Handle handle, OutboxMessage message);
}
