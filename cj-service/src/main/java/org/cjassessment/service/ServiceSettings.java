package org.cjassessment.service;

import java.time.Duration;
import org.cjassessment.core.batch.ContinuationPolicy;

/**
 * Behaviour settings of the service (infrastructure addresses live in the composition root).
 *
 * @param defaultBudget comparisons per batch when the request names none
 * @param maxBudget the largest budget a request may ask for
 * @param priorSd prior SD of the Bradley–Terry fit (logits); 0 = plain MLE
 * @param stuckAfter a batch without activity for this long is handed to stuck recovery
 * @param maxEssayChars essays with more characters (Unicode code points) are rejected at intake
 * @param maxEssaysPerBatch requests with more essays (students and anchors) are rejected at intake
 * @param maxEssayBytes essays longer than this in UTF-8 are rejected at intake (a limit on storage and message
 *     size that a character count alone does not give: one character is up to 4 bytes)
 */
public record ServiceSettings(
    Topics topics,
    ContinuationPolicy policy,
    int defaultBudget,
    int maxBudget,
    double priorSd,
    Duration stuckAfter,
    int maxEssayChars,
    String sourceService,
    int maxEssaysPerBatch,
    int maxEssayBytes) {

  /** These settings with other intake limits (tests and embedded runs). */
  public ServiceSettings withLimits(int maxEssaysPerBatch, int maxEssayChars, int maxEssayBytes, int maxBudget) {
    return new ServiceSettings(topics, policy, defaultBudget, maxBudget, priorSd, stuckAfter, maxEssayChars,
        sourceService, maxEssaysPerBatch, maxEssayBytes);
  }

  public static ServiceSettings defaults() {
    return new ServiceSettings(Topics.defaults(), ContinuationPolicy.defaults(), 120, 100_000, 3.0,
        Duration.ofHours(4), 200_000, "cj_assessment_service", 10_000, 800_000);
  }
}
