package org.cjassessment.core.grade;

/** The probability that an essay's grade is {@code grade}. */
public record GradeProbability(String grade, double probability) {

  public GradeProbability {
    if (grade == null || !(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException(
          "grade probability needs a grade and p in [0,1], got " + grade + "=" + probability);
    }
  }
}
