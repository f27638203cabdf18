package org.cjassessment.service.batch;

/** A request that cannot become a batch; the message names the field, the value or limit, and the fix. */
public final class InvalidRequestException extends RuntimeException {
  public InvalidRequestException(String message) {
    super(message);
  }
}
