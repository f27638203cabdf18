package org.cjassessment.core.grade;

/**
 * Tuning of the grade model; {@link #DEFAULTS} is what the service uses. See {@code docs/GRADES.md}.
 *
 * @param gradingNoise σ, the standard deviation (logits) of the difference between a teacher's grade and the grade
 *     the essay's true ability implies. It is added in quadrature to every standard error, for anchors when the
 *     boundaries are fitted and for students when they are graded. Must be in (0, 10]. Default 0.25.
 * @param minReferenceWidth the smallest reference width (logits) of one grade, used when anchors give no usable
 *     spacing (e.g. all anchor grades pooled by out-of-order abilities). Must be in (0, 100]. Default 0.5.
 * @param populationPriors whether the scale's population priors shape the reference widths. Default
 *     {@link PriorUse#IGNORE}.
 */
public record ProjectionSettings(double gradingNoise, double minReferenceWidth, PriorUse populationPriors) {

  /** σ = 0.25 logits, minimum reference width 0.5 logits, population priors ignored. */
  public static final ProjectionSettings DEFAULTS = new ProjectionSettings(0.25, 0.5, PriorUse.IGNORE);

  /** How the scale's population priors enter the model. They never multiply the per-student probabilities. */
  public enum PriorUse {
    /** Every grade has the same reference width (the average anchor spacing per grade step). */
    IGNORE,
    /**
     * Reference widths proportional to the normal-quantile spacing of the priors' cumulative distribution
     * ({@code Φ⁻¹(C_k) − Φ⁻¹(C_{k−1})}), i.e. what the widths would be if abilities were normal and grades
     * followed the national distribution. Grades with an open end use the mean width.
     */
    SHAPE_WIDTHS
  }

  public ProjectionSettings {
    if (!(gradingNoise > 0 && gradingNoise <= 10)) {
      throw new IllegalArgumentException("gradingNoise must be in (0, 10] logits, got " + gradingNoise);
    }
    if (!(minReferenceWidth > 0 && minReferenceWidth <= 100)) {
      throw new IllegalArgumentException("minReferenceWidth must be in (0, 100] logits, got " + minReferenceWidth);
    }
    if (populationPriors == null) {
      throw new IllegalArgumentException("populationPriors must be IGNORE or SHAPE_WIDTHS, got null");
    }
  }

  public ProjectionSettings withGradingNoise(double sigma) {
    return new ProjectionSettings(sigma, minReferenceWidth, populationPriors);
  }

  public ProjectionSettings withPopulationPriors(PriorUse use) {
    return new ProjectionSettings(gradingNoise, minReferenceWidth, use);
  }
}
