package org.cjassessment.service.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Rich result for RAS ({@code huleedu.assessment.result.published.v1}). {@code essayResults} holds students only,
 * ranked among themselves; anchors are described in {@code assessmentMetadata}.
 *
 * <p>{@code splitHalfReliability} is additive (issue 7): the Spearman–Brown corrected split-half reliability beside
 * SSR, which adaptive pairing cannot inflate; null when no split was usable. {@code stopReason} is additive too: why
 * the batch stopped asking for comparisons ({@code StopReason#id()}: precision_target, scores_stable, budget_spent,
 * appearance_cap, forced_recovery, too_few_essays), finer than {@code outcome}.
 *
 * <p>The doubles are rounded to six decimals at the wire ({@link WireNumbers}).
 */
public record AssessmentResult(
    String eventName,
    String entityId,
    String entityType,
    String parentId,
    Instant timestamp,
    String batchId,
    String cjAssessmentJobId,
    String assignmentId,
    String assessmentMethod,
    String modelUsed,
    String modelProvider,
    String modelVersion,
    Instant assessedAt,
    List<EssayResult> essayResults,
    Metadata assessmentMetadata) {

  public record EssayResult(
      String essayId,
      String letterGrade,
      double normalizedScore,
      double confidenceScore,
      String confidenceLabel,
      double btScore,
      Double btSe,
      int rank,
      boolean isAnchor,
      String displayName,
      Map<String, Double> gradeProbabilities,
      String feedbackUri,
      String metricsUri) {}

  public record Metadata(
      int anchorEssaysUsed,
      String calibrationMethod,
      Map<String, Integer> anchorGradeDistribution,
      int comparisonCount,
      double processingDurationSeconds,
      Double llmTemperature,
      String assignmentId,
      String courseCode,
      String gradeScale,
      double scaleSeparationReliability,
      Double splitHalfReliability,
      String stopReason,
      String outcome) {}
}
