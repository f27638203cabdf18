package org.cjassessment.core.bt;

/**
 * The advantage, in logits, of being shown first: P(first wins) = σ(θ_first − θ_second + estimate). Positive means
 * the judge favours the first essay.
 *
 * @param firstShownWins how many of the comparisons with known order the first-shown essay won (fractional with soft
 *     outcomes: the judge's probability for the first-shown essay is summed)
 */
public record PositionEffect(
    double estimate, double standardError, int comparisonsWithKnownOrder, double firstShownWins) {

  /** The probability that the first-shown of two equal essays wins, under the fitted model. */
  public double firstShownWinProbability() {
    return NewtonFit.sigmoid(estimate);
  }

  /**
   * The observed share of comparisons with known order that the first-shown essay won (the raw first-slot win
   * rate, not adjusted for which essays happened to be shown first); NaN without such comparisons.
   */
  public double firstShownWinRate() {
    return comparisonsWithKnownOrder > 0 ? firstShownWins / comparisonsWithKnownOrder : Double.NaN;
  }
}
