package org.cjassessment.judge;

import java.util.Objects;
import java.util.OptionalDouble;

/** What a judge answered for one pair: a verdict, or a failure with a code and a message for a person. */
public sealed interface JudgeOutcome {

  /** The model that answered (after any override). */
  String model();

  TokenUsage usage();

  /** Wall time from the first attempt to the answer, retries included. */
  long responseMillis();

  /** SHA-256 of the rendered prompt without the essays ({@code PromptTemplate}), or null if none was rendered. */
  String promptHash();

  /**
   * @param essayAWins "Essay A" (shown first) is better
   * @param confidence 1–5
   * @param probabilityA the judge's probability that A is better (from logprobs), when known
   */
  record Verdict(boolean essayAWins, String justification, int confidence, OptionalDouble probabilityA,
      String model, TokenUsage usage, long responseMillis, String promptHash) implements JudgeOutcome {
    public Verdict {
      Objects.requireNonNull(justification, "justification");
      if (confidence < 1 || confidence > 5) {
        throw new IllegalArgumentException("confidence must be 1..5, was " + confidence);
      }
      if (probabilityA.isPresent() && !(probabilityA.getAsDouble() >= 0 && probabilityA.getAsDouble() <= 1)) {
        throw new IllegalArgumentException("probabilityA must be in [0, 1], was " + probabilityA.getAsDouble());
      }
    }
  }

  /**
   * No verdict. {@code detail} says what the provider did (status, its error type, what was wrong with the
   * answer); it never contains essay text.
   */
  record Failure(FailureCode code, String detail, String model, TokenUsage usage, long responseMillis,
      String promptHash) implements JudgeOutcome {
    public Failure {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
