package org.cjassessment.judge;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One comparison as the judge sees it. The essay ids are for the simulated judge (its truth is keyed by them) and
 * for logs; a language model is shown only the texts, as "Essay A" (first) and "Essay B".
 *
 * @param correlationId the comparison's id; the simulated judge's draws are a function of it
 * @param assignmentContext the batch's assignment prompt, when the request carries one
 * @param rubric the batch's rubric ({@code llm_config_overrides.judge_rubric_override}), replacing the configured one
 * @param model per-request model ({@code llm_config_overrides.model_override})
 * @param temperature per-request temperature ({@code temperature_override})
 * @param maxTokens per-request output cap ({@code max_tokens_override})
 */
public record PairToJudge(
    String correlationId,
    String essayAId,
    String essayAText,
    String essayBId,
    String essayBText,
    Optional<String> assignmentContext,
    Optional<String> rubric,
    Optional<String> model,
    OptionalDouble temperature,
    OptionalInt maxTokens) {

  public PairToJudge {
    Objects.requireNonNull(correlationId, "correlationId");
    Objects.requireNonNull(essayAText, "essayAText");
    Objects.requireNonNull(essayBText, "essayBText");
    Objects.requireNonNull(assignmentContext, "assignmentContext");
    Objects.requireNonNull(rubric, "rubric");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(maxTokens, "maxTokens");
    Objects.requireNonNull(temperature, "temperature");
  }

  /** A pair without context or overrides (tests, benchmarks). */
  public static PairToJudge of(String correlationId, String essayAId, String essayAText, String essayBId,
      String essayBText) {
    return new PairToJudge(correlationId, essayAId, essayAText, essayBId, essayBText, Optional.empty(),
        Optional.empty(), Optional.empty(), OptionalDouble.empty(), OptionalInt.empty());
  }
}
