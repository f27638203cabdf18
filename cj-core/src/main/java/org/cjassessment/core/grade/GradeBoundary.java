package org.cjassessment.core.grade;

/**
 * The ability (logits) at which {@code lowerGrade} ends and {@code upperGrade} begins. Always finite; the open ends
 * of the lowest and highest grade are not boundaries and never appear as ±∞.
 */
public record GradeBoundary(String lowerGrade, String upperGrade, double ability) {

  public GradeBoundary {
    if (lowerGrade == null || upperGrade == null || !Double.isFinite(ability)) {
      throw new IllegalArgumentException(
          "grade boundary needs two grades and a finite ability, got " + lowerGrade + "|" + upperGrade + "@" + ability);
    }
  }
}
