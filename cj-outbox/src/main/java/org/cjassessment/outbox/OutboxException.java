package org.cjassessment.outbox;

/** The one unchecked exception this module throws for broken contracts and unexpected database states. */
public class OutboxException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public OutboxException(String message) {
    super(message);
  }

  public OutboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
