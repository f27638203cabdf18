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
 * @param boundaryDraws draws of the boundaries from their posterior (the ordered-probit fit, which holds the
 *     anchors' standard errors; {@code BoundaryPosterior}), over which a student's grade probabilities are averaged
 *     (0 = boundaries taken as exact). Must be in [0, 10,000]. Default {@link #DEFAULT_BOUNDARY_DRAWS}.
 * @param populationShrinkage whether anchors and students are graded by the posterior of their true ability given
 *     the batch's population (empirical Bayes, {@code PopulationShrinkage}) rather than by the raw estimate with a
 *     flat prior. Default true: without it the most likely grade is overconfident (docs/GRADES.md).
 */
public record ProjectionSettings(
    double gradingNoise, double minReferenceWidth, PriorUse populationPriors, int boundaryDraws,
    boolean populationShrinkage) {

  /** Enough for probabilities to ±0.02 (Monte Carlo) at well under a millisecond per draw. */
  public static final int DEFAULT_BOUNDARY_DRAWS = 200;

  /** The draws are deterministic: the same fit always gives the same grades. */
  public static final long BOUNDARY_DRAW_SEED = 20_241_129L;

  /**
   * σ = 0.25 logits, minimum reference width 0.5 logits, population priors ignored, 200 boundary draws, population
   * shrinkage on.
   */
  public static final ProjectionSettings DEFAULTS =
      new ProjectionSettings(0.25, 0.5, PriorUse.IGNORE, DEFAULT_BOUNDARY_DRAWS, true);

  public ProjectionSettings(double gradingNoise, double minReferenceWidth, PriorUse populationPriors) {
    this(gradingNoise, minReferenceWidth, populationPriors, DEFAULT_BOUNDARY_DRAWS, true);
  }

  public ProjectionSettings(
      double gradingNoise, double minReferenceWidth, PriorUse populationPriors, int boundaryDraws) {
    this(gradingNoise, minReferenceWidth, populationPriors, boundaryDraws, true);
  }

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
    if (boundaryDraws < 0 || boundaryDraws > 10_000) {
      throw new IllegalArgumentException("boundaryDraws must be in [0, 10000] (0 = exact boundaries), got "
          + boundaryDraws);
    }
  }

  public ProjectionSettings withGradingNoise(double sigma) {
    return new ProjectionSettings(sigma, minReferenceWidth, populationPriors, boundaryDraws, populationShrinkage);
  }

  public ProjectionSettings withBoundaryDraws(int draws) {
    return new ProjectionSettings(gradingNoise, minReferenceWidth, populationPriors, draws, populationShrinkage);
  }

  public ProjectionSettings withPopulationPriors(PriorUse use) {
    return new ProjectionSettings(gradingNoise, minReferenceWidth, use, boundaryDraws, populationShrinkage);
  }

  public ProjectionSettings withPopulationShrinkage(boolean on) {
    return new ProjectionSettings(gradingNoise, minReferenceWidth, populationPriors, boundaryDraws, on);
  }
}
