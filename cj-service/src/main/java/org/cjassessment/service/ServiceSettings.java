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
 * @param maxEssayChars longer essays are rejected at intake
 */
public record ServiceSettings(
    Topics topics,
    ContinuationPolicy policy,
    int defaultBudget,
    int maxBudget,
    double priorSd,
    Duration stuckAfter,
    int maxEssayChars,
    String sourceService) {

  public static ServiceSettings defaults() {
    return new ServiceSettings(Topics.defaults(), ContinuationPolicy.defaults(), 120, 100_000, 3.0,
        Duration.ofHours(4), 200_000, "cj_assessment_service");
  }
}
