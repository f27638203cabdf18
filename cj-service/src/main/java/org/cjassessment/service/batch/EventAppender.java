package org.cjassessment.service.batch;

import org.cjassessment.outbox.OutboxMessage;
import org.jdbi.v3.core.Handle;

/** Appends an event to the outbox inside the caller's transaction; false when that event id is already there. */
@FunctionalInterface
public interface EventAppender {
  boolean append(Handle handle, OutboxMessage message);
}
