package org.cjassessment.core.bt;

/**
 * The advantage, in logits, of being shown first: P(first wins) = σ(θ_first − θ_second + estimate). Positive means
 * the judge favours the first essay.
 */
public record PositionEffect(double estimate, double standardError, int comparisonsWithKnownOrder) {

  /** The probability that the first-shown of two equal essays wins. */
  public double firstShownWinProbability() {
    return NewtonFit.sigmoid(estimate);
  }
}
