package org.cjassessment.service.batch;

/**
 * A request reuses a batch id that already has a batch with different content: refused (HTTP 409, Kafka dead
 * letter), never answered with the old job as if it were this one.
 */
public final class BatchConflictException extends RuntimeException {
  public BatchConflictException(String message) {
    super(message);
  }
}
