package org.cjassessment.core.batch;

/** Failure codes carried in the batch row and the failure event's error_info. */
public enum FailureReason {
  /** Too many comparisons came back as errors by the time the budget was spent. */
  LOW_SUCCESS_RATE,
  /** The batch stalled below the forced-recovery share of its budget, even after re-dispatching. */
  STUCK_INSUFFICIENT_PROGRESS,
  /** An essay's text could not be fetched from the content store. */
  CONTENT_UNAVAILABLE,
  /**
   * The request can never be served (no student essays, unknown scale, an essay over a limit, ...): refused at intake,
   * with no batch; the failure event carries {@code cj_assessment_job_id = "INITIALIZATION_FAILED"} as upstream's did.
   */
  INVALID_REQUEST,
  /** An operator stopped the batch. */
  OPERATOR_CANCELLED,
  /**
   * Advancing the batch failed for a reason that retrying cannot fix (a bug, not a database or broker outage): the
   * batch fails with its events instead of being retried by every monitor sweep.
   */
  PROCESSING_ERROR
}
