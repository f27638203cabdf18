package org.cjassessment.core.bt;

import java.util.Objects;

/**
 * One judged comparison: {@code winner} was preferred over {@code loser}.
 *
 * @param firstShown the essay shown first (position A), or {@code null} when unknown; it must be one of the two
 * @param judge an identifier of the judge, or {@code null}
 */
public record Comparison(String winner, String loser, String firstShown, String judge) {

  public Comparison {
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
