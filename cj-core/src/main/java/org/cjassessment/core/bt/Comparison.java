package org.cjassessment.core.bt;

import java.util.Objects;

/**
 * One judged comparison: {@code winner} was preferred over {@code loser}.
 *
 * @param firstShown the essay shown first (position A), or {@code null} when unknown; it must be one of the two
 * @param judge an identifier of the judge, or {@code null}
 * @param winnerProbability the judge's probability that the winner is the better essay (a soft outcome, e.g. from
 *     the judge's token log-probabilities); 1 for a hard judgement. The fit weighs the comparison as that fraction
 *     of a win and the rest of a loss (weighted likelihood); counts of wins stay those of the judge's choices.
 */
public record Comparison(String winner, String loser, String firstShown, String judge, double winnerProbability) {

  public Comparison(String winner, String loser, String firstShown, String judge) {
    this(winner, loser, firstShown, judge, 1.0);
  }

  public Comparison {
    if (!(winnerProbability >= 0 && winnerProbability <= 1)) {
      throw new InvalidComparisonException("winner probability must be in [0, 1], got " + winnerProbability
          + " for '" + winner + "' over '" + loser + "'");
    }
    requireId(winner, "winner");
    requireId(loser, "loser");
    if (winner.equals(loser)) {
      throw new InvalidComparisonException("essay '" + winner + "' is compared with itself");
    }
    if (firstShown != null && !firstShown.isEmpty() && !firstShown.equals(winner) && !firstShown.equals(loser)) {
      throw new InvalidComparisonException(
          "first_shown '" + firstShown + "' is neither the winner '" + winner + "' nor the loser '" + loser + "'");
    }
    if (firstShown != null && firstShown.isEmpty()) {
      firstShown = null;
    }
    if (judge != null && judge.isEmpty()) {
      judge = null;
    }
  }

  public static Comparison of(String winner, String loser) {
    return new Comparison(winner, loser, null, null);
  }

  /**
   * A soft outcome stated about essay a: the judge's probability that a is better than b. The judge's choice (the
   * winner) is a when the probability is at least one half.
   */
  public static Comparison soft(String a, String b, double probabilityABetter, String firstShown, String judge) {
    if (!(probabilityABetter >= 0 && probabilityABetter <= 1)) {
      throw new InvalidComparisonException("probability that '" + a + "' is better must be in [0, 1], got "
          + probabilityABetter);
    }
    return probabilityABetter >= 0.5
        ? new Comparison(a, b, firstShown, judge, probabilityABetter)
        : new Comparison(b, a, firstShown, judge, 1 - probabilityABetter);
  }

  public boolean orderKnown() {
    return firstShown != null;
  }

  private static void requireId(String id, String field) {
    Objects.requireNonNull(id, field);
    if (id.isBlank()) {
      throw new InvalidComparisonException(field + " essay id is blank");
    }
  }
}
