package org.cjassessment.core.grade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Grade boundaries on the ability (logit) scale, fitted to the anchors of one Bradley–Terry fit, and the rule that
 * turns an ability with its standard error into a probability over grades.
 *
 * <p>Grading: with total noise {@code T = √(σ² + SE²)} the probability of grade c is
 * {@code Φ((τ_c − θ)/T) − Φ((τ_{c−1} − θ)/T)}, the chance that the grade a teacher would give falls in c's interval
 * when the essay's true ability is uncertain. The most likely grade is the argmax (lowest on an exact tie), the
 * confidence is its probability. Population priors are not multiplied in: the boundaries already encode where the
 * grades lie, so doing so would count the base rates twice.
 *
 * @param scale the grade scale
 * @param boundaries one finite boundary between each pair of consecutive grades of {@link GradeScale#allGrades()},
 *     strictly increasing
 * @param anchorCounts anchors per grade of {@link GradeScale#allGrades()}, in that order
 * @param gradingNoise σ used in the fit and for grading (logits)
 * @param referenceWidth the reference width of one grade (logits) that the width prior was centred on
 * @param iterations Newton iterations used
 * @param converged whether the fit met its tolerance (the boundaries are ordered and usable either way)
 */
public record GradeCalibration(
    GradeScale scale,
    List<GradeBoundary> boundaries,
    List<Integer> anchorCounts,
    double gradingNoise,
    double referenceWidth,
    int iterations,
    boolean converged) {

  public GradeCalibration {
    List<String> grades = scale.allGrades();
    boundaries = List.copyOf(boundaries);
    anchorCounts = List.copyOf(anchorCounts);
    if (boundaries.size() != grades.size() - 1 || anchorCounts.size() != grades.size()) {
      throw new IllegalArgumentException(
          "calibration for " + scale.id() + " needs " + (grades.size() - 1) + " boundaries and " + grades.size()
              + " anchor counts, got " + boundaries.size() + " and " + anchorCounts.size());
    }
    for (int c = 0; c < boundaries.size(); c++) {
      GradeBoundary b = boundaries.get(c);
      if (!b.lowerGrade().equals(grades.get(c)) || !b.upperGrade().equals(grades.get(c + 1))) {
        throw new IllegalArgumentException(
            "boundary " + c + " of " + scale.id() + " must separate " + grades.get(c) + " and " + grades.get(c + 1));
      }
      if (c > 0 && !(b.ability() > boundaries.get(c - 1).ability())) {
        throw new IllegalArgumentException("boundaries must be strictly increasing: " + boundaries);
      }
    }
    if (!(gradingNoise > 0) || !Double.isFinite(gradingNoise)) {
      throw new IllegalArgumentException("gradingNoise must be finite and > 0, got " + gradingNoise);
    }
  }

  /** Each grade's ability interval (lower, upper], lowest first; the outer ends are empty (open). */
  public List<GradeBand> bands() {
    List<String> grades = scale.allGrades();
    List<GradeBand> bands = new ArrayList<>(grades.size());
    for (int c = 0; c < grades.size(); c++) {
      OptionalDouble lower = c == 0 ? OptionalDouble.empty() : OptionalDouble.of(boundaries.get(c - 1).ability());
      OptionalDouble upper =
          c == grades.size() - 1 ? OptionalDouble.empty() : OptionalDouble.of(boundaries.get(c).ability());
      bands.add(new GradeBand(grades.get(c), lower, upper, anchorCounts.get(c)));
    }
    return List.copyOf(bands);
  }

  /** Grades one essay of the same fit (see the class comment for the rule). */
  public StudentGrade project(AbilityEstimate essay) {
    List<String> grades = scale.allGrades();
    int m = grades.size();
    double total = Math.sqrt(gradingNoise * gradingNoise + essay.standardError() * essay.standardError());
    double[] p = new double[m];
    double sum = 0;
    double previous = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < m; c++) {
      double next = c < m - 1 ? (boundaries.get(c).ability() - essay.ability()) / total : Double.POSITIVE_INFINITY;
      double logP = Normal.logProbBetween(previous, next);
      p[c] = Double.isFinite(logP) ? Math.exp(logP) : 0;
      sum += p[c];
      previous = next;
    }
    if (!(sum > 0) || !Double.isFinite(sum)) { // unreachable for valid inputs; never emit NaN
      Arrays.fill(p, 0);
      p[containingGrade(essay.ability())] = 1;
      sum = 1;
    }
    int best = 0;
    List<GradeProbability> probabilities = new ArrayList<>(m);
    for (int c = 0; c < m; c++) {
      p[c] = Math.min(1, p[c] / sum);
      if (p[c] > p[best]) {
        best = c;
      }
      probabilities.add(new GradeProbability(grades.get(c), p[c]));
    }
    return new StudentGrade(
        essay.essayId(),
        essay.ability(),
        essay.standardError(),
        probabilities,
        grades.get(best),
        p[best],
        ConfidenceLabel.of(p[best]));
  }

  /**
   * Grades one essay with its probabilities averaged over several calibrations (draws of the boundaries); the most
   * likely grade, confidence and label follow from the averaged distribution.
   */
  static StudentGrade averaged(AbilityEstimate essay, List<GradeCalibration> draws) {
    List<String> grades = draws.get(0).scale().allGrades();
    double[] p = new double[grades.size()];
    for (GradeCalibration calibration : draws) {
      List<GradeProbability> one = calibration.project(essay).probabilities();
      for (int c = 0; c < p.length; c++) {
        p[c] += one.get(c).probability();
      }
    }
    double sum = 0;
    for (double v : p) {
      sum += v;
    }
    int best = 0;
    List<GradeProbability> probabilities = new ArrayList<>(p.length);
    for (int c = 0; c < p.length; c++) {
      p[c] = Math.min(1, p[c] / sum);
      if (p[c] > p[best]) {
        best = c;
      }
      probabilities.add(new GradeProbability(grades.get(c), p[c]));
    }
    return new StudentGrade(essay.essayId(), essay.ability(), essay.standardError(), probabilities,
        grades.get(best), p[best], ConfidenceLabel.of(p[best]));
  }

  /** The grade whose interval (lower, upper] contains this ability. */
  public String gradeContaining(double ability) {
    return scale.allGrades().get(containingGrade(ability));
  }

  private int containingGrade(double ability) {
    int c = 0;
    while (c < boundaries.size() && ability > boundaries.get(c).ability()) {
      c++;
    }
    return c;
  }
}
