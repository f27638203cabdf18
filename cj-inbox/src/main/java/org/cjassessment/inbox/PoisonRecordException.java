package org.cjassessment.inbox;

/**
 * Thrown by a handler for a record that no retry can fix (bad JSON, a missing field, a value out of range). The
 * message becomes the dead-letter reason: name the field or the rule, never copy the record's content into it.
 */
public final class PoisonRecordException extends RuntimeException {

  public PoisonRecordException(String reason) {
    super(reason);
  }

  public PoisonRecordException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
