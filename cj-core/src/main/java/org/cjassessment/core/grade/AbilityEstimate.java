package org.cjassessment.core.grade;

/**
 * One essay's Bradley–Terry ability as the grade projection sees it.
 *
 * @param essayId the essay's id, non-blank
 * @param ability the ability on the logit scale (centred by the fit); |ability| ≤ {@value #MAX_ABS_ABILITY}
 * @param standardError its standard error, finite, 0 ≤ SE ≤ {@value #MAX_STANDARD_ERROR}
 */
public record AbilityEstimate(String essayId, double ability, double standardError) {

  /**
   * Largest accepted |ability|. A logit difference of 40 already means a win probability of 1 − 4e-18, so anything
   * near this bound is a diverged fit; the bound only keeps the arithmetic finite.
   */
  public static final double MAX_ABS_ABILITY = 1e3;

  /** Largest accepted standard error (see {@link #MAX_ABS_ABILITY}). */
  public static final double MAX_STANDARD_ERROR = 1e6;

  public AbilityEstimate {
    if (essayId == null || essayId.isBlank()) {
      throw new IllegalArgumentException("ability estimate needs a non-blank essay id, got " + quote(essayId));
    }
    if (!Double.isFinite(ability) || Math.abs(ability) > MAX_ABS_ABILITY) {
      throw new IllegalArgumentException(
          "essay '"
              + essayId
              + "': ability must be a finite logit with |ability| <= "
              + MAX_ABS_ABILITY
              + ", got "
              + ability
              + "; the Bradley-Terry fit diverged or produced no score for this essay");
    }
    if (!Double.isFinite(standardError) || standardError < 0 || standardError > MAX_STANDARD_ERROR) {
      throw new IllegalArgumentException(
          "essay '"
              + essayId
              + "': standard error must be finite and in [0, "
              + MAX_STANDARD_ERROR
              + "], got "
              + standardError);
    }
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
