package org.cjassessment.service;

import java.time.Duration;
import org.cjassessment.core.batch.ContinuationPolicy;
import org.cjassessment.core.batch.PrecisionTarget;
import org.cjassessment.core.pairs.SelectorKind;

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
 * @param pairSelector the pair selector of a batch whose request names none
 * @param maxPerEssay cap on requested comparisons per essay (0 = none)
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
    int maxEssayBytes,
    SelectorKind pairSelector,
    int maxPerEssay) {

  /** These settings with other intake limits (tests and embedded runs). */
  public ServiceSettings withLimits(int maxEssaysPerBatch, int maxEssayChars, int maxEssayBytes, int maxBudget) {
    return new ServiceSettings(topics, policy, defaultBudget, maxBudget, priorSd, stuckAfter, maxEssayChars,
        sourceService, maxEssaysPerBatch, maxEssayBytes, pairSelector, maxPerEssay);
  }

  /** These settings with another default selector and cap. */
  public ServiceSettings withPairing(SelectorKind selector, int cap) {
    return new ServiceSettings(topics, policy, defaultBudget, maxBudget, priorSd, stuckAfter, maxEssayChars,
        sourceService, maxEssaysPerBatch, maxEssayBytes, selector, cap);
  }

  public static ServiceSettings defaults() {
    // No precision stop unless configured (CJ_TARGET_RELIABILITY, CJ_TARGET_GRADE_SHARE): docs/PAIRING.md.
    return new ServiceSettings(Topics.defaults(), ContinuationPolicy.defaults().withPrecisionTarget(
        PrecisionTarget.off()), 120, 100_000, 3.0, Duration.ofHours(4), 200_000, "cj_assessment_service", 10_000,
        800_000, SelectorKind.ADAPTIVE, 0);
  }
}
