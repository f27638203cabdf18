package org.cjassessment.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Looks at the destination for the records of rows that may have been sent before ({@link ClaimedRow#possiblySent}). */
interface DeliveryCheck {

  /** No check: every possibly sent row is sent again (at-least-once, as before the check existed). */
  DeliveryCheck NONE = (rows, budget) -> Set.of();

  /**
   * The ids of the rows whose record (same {@code event_id}) is on the partition its key maps to. A row left out is
   * sent: not found, or not checkable at a bounded cost — when in doubt, send.
   *
   * @throws org.apache.kafka.common.errors.RetriableException when the broker did not answer within {@code budget}:
   *     the rows then fail this attempt as they would in an outage (back off, stay PENDING, never DEAD for it)
   */
  Set<Long> alreadyDelivered(List<ClaimedRow> rows, Duration budget);
}
