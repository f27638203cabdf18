package org.cjassessment.service.events;

import java.time.Instant;
import java.util.List;

/** Thin completion event for ELS ({@code huleedu.cj_assessment.completed.v1}). No scores, no anchors. */
public record CjAssessmentCompleted(
    String eventName,
    String entityId,
    String entityType,
    String parentId,
    Instant timestamp,
    String status,
    SystemMetadata systemMetadata,
    String cjAssessmentJobId,
    ProcessingSummary processingSummary) {

  public record ProcessingSummary(
      int totalEssays,
      int successful,
      int failed,
      List<String> successfulEssayIds,
      List<String> failedEssayIds,
      double processingTimeSeconds,
      boolean singleEssayBatch) {}
}
