package org.cjassessment.core.grade;

import java.util.List;

/**
 * One student essay's projected grade.
 *
 * @param probabilities one entry per grade of {@link GradeScale#allGrades()}, in that order (lowest first), each in
 *     [0, 1], summing to 1
 * @param mostLikelyGrade the grade with the highest probability (the lowest such grade on an exact tie)
 * @param confidence the probability of {@code mostLikelyGrade}; at least 1/(number of grades), at most 1
 * @param confidenceLabel {@link ConfidenceLabel#of(double)} of {@code confidence}
 */
public record StudentGrade(
    String essayId,
    double ability,
    double standardError,
    List<GradeProbability> probabilities,
    String mostLikelyGrade,
    double confidence,
    ConfidenceLabel confidenceLabel) {

  public StudentGrade {
    probabilities = List.copyOf(probabilities);
  }

  /** The probability of this grade (0 for a grade of another scale). */
  public double probabilityOf(String grade) {
    for (GradeProbability p : probabilities) {
      if (p.grade().equals(grade)) {
        return p.probability();
      }
    }
    return 0;
  }
}
