package org.cjassessment.service.batch;

import java.time.Instant;
import java.util.UUID;

/**
 * A validated upstream {@code LLMComparisonResultV1}: either a winner ("Essay A" = the essay shown first) or an
 * error code, never both.
 *
 * @param judgeProbabilityA the judge's probability that "Essay A" is better ({@code judge_probability_a}), when it
 *     reported one
 */
public record ComparisonResult(
    String eventId,
    UUID correlationId,
    Boolean firstWon,
    Double confidence,
    String justification,
    String errorCode,
    String errorMessage,
    String provider,
    String model,
    Integer responseTimeMs,
    Integer promptTokens,
    Integer completionTokens,
    Integer totalTokens,
    Double costEstimate,
    Instant completedAt,
    Double judgeProbabilityA) {

  public boolean isError() {
    return firstWon == null;
  }
}
