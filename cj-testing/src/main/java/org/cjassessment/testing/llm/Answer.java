package org.cjassessment.testing.llm;

/**
 * What a fake model answers for a pair.
 *
 * @param probabilityA reported through logprobs (OpenAI, when asked); the winner is what the model "said"
 */
public record Answer(String winner, String justification, int confidence, double probabilityA) {

  /** The longer essay wins (a deterministic rule a test can predict), with confidence 3. */
  public static Answer longerWins(String essayA, String essayB) {
    boolean a = essayA.length() >= essayB.length();
    return new Answer(a ? "Essay A" : "Essay B", "The " + (a ? "first" : "second") + " essay develops its ideas.",
        3, a ? 0.8 : 0.2);
  }
}
