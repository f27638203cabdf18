package org.cjassessment.service.batch;

import java.time.Instant;
import java.util.UUID;
import org.cjassessment.core.batch.BatchState;
import org.cjassessment.core.batch.FailureReason;
import org.cjassessment.core.batch.Outcome;

/** A batch as stored. */
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
    Instant completedAt) {

  public int pending() {
    return submitted - judged - errored;
  }

  public String jobId() {
    return Long.toString(id);
  }
}
