package org.cjassessment.service.batch;

import java.time.Instant;
import java.util.UUID;
import org.cjassessment.core.batch.BatchState;
import org.cjassessment.core.batch.FailureReason;
import org.cjassessment.core.batch.Outcome;

/**
 * A batch as stored.
 *
 * @param publicId the job id shown over HTTP: random, so one client cannot guess another's
 * @param clientId owner of the batch and namespace of its upstream batch id
 */
public record BatchRow(
    long id,
    String upstreamBatchId,
    UUID correlationId,
    BatchState state,
    Outcome outcome,
    FailureReason failureReason,
    String failureDetail,
    String gradeScale,
    int budget,
    int wave,
    int submitted,
    int judged,
    int errored,
    int duplicateCallbacks,
    int lateCallbacks,
    int redispatches,
    String lastScores,
    Double lastScoreChange,
    String userId,
    String orgId,
    String assignmentId,
    String courseCode,
    String language,
    String request,
    Instant createdAt,
    Instant lastActivityAt,
    Instant completedAt,
    UUID publicId,
    String clientId) {

  public int pending() {
    return submitted - judged - errored;
  }

  /** {@code cj_assessment_job_id} of the events: the internal id, stringified (upstream's contract). */
  public String jobId() {
    return Long.toString(id);
  }
}
