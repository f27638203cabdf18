package org.cjassessment.core.batch;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * How precise the current scores are, as the stopping rule sees them.
 *
 * @param reliability the reliability to judge precision by: split-half when pairing is adaptive (adaptivity
 *     inflates SSR), SSR otherwise; empty when it could not be computed
 * @param gradeConfidences per student, the probability of its most likely grade; empty without grades
 */
public record Precision(OptionalDouble reliability, double[] gradeConfidences) {

  public Precision {
    gradeConfidences = gradeConfidences.clone();
  }

  public static Precision none() {
    return new Precision(OptionalDouble.empty(), new double[0]);
  }

  public boolean hasGrades() {
    return gradeConfidences.length > 0;
  }

  /** Share of students whose most likely grade has probability at least {@code p}; 0 without grades. */
  public double shareConfident(double p) {
    if (gradeConfidences.length == 0) {
      return 0;
    }
    return (double) Arrays.stream(gradeConfidences).filter(c -> c >= p).count() / gradeConfidences.length;
  }
}
