package org.cjassessment.service.intake;

/** An essay text could not be fetched. Transient failures are retried; permanent ones fail the request. */
public final class ContentUnavailableException extends RuntimeException {

  private final boolean transientFailure;

  public ContentUnavailableException(String message, boolean transientFailure) {
    super(message);
    this.transientFailure = transientFailure;
  }

  public boolean transientFailure() {
    return transientFailure;
  }
}
