package org.cjassessment.core.bt;

/**
 * How to fit.
 *
 * @param priorSd standard deviation of an independent Gaussian prior N(0, sd²) on every ability (logits); 0 means
 *     plain maximum likelihood, which only exists for strongly connected comparison graphs (otherwise the fit is
 *     done per strongly connected component and flagged)
 * @param standardErrors whether to compute standard errors (the dominant cost for large batches)
 * @param exactStandardErrorLimit largest number of essays in one block for which standard errors are exact (dense
 *     inverse of the information matrix, O(n³)); larger blocks use a documented approximation
 * @param tolerance Newton stops when the largest ability step is below this (logits)
 * @param maxIterations Newton iteration cap
 */
public record FitOptions(
    double priorSd, boolean standardErrors, int exactStandardErrorLimit, double tolerance, int maxIterations) {

  /** The default prior: weak enough to leave well-measured essays alone, strong enough to keep unbeaten ones finite. */
  public static final double DEFAULT_PRIOR_SD = 3.0;

  public static final int DEFAULT_EXACT_SE_LIMIT = 2500;

  public FitOptions {
    if (!(priorSd >= 0) || Double.isInfinite(priorSd)) {
      throw new IllegalArgumentException("prior SD must be a finite number >= 0 (0 = plain MLE), got " + priorSd);
    }
    if (exactStandardErrorLimit < 0) {
      throw new IllegalArgumentException("exact SE limit must be >= 0, got " + exactStandardErrorLimit);
    }
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("max iterations must be >= 1, got " + maxIterations);
    }
  }

  public static FitOptions defaults() {
    return new FitOptions(DEFAULT_PRIOR_SD, true, DEFAULT_EXACT_SE_LIMIT, 1e-10, 100);
  }

  public static FitOptions plainMle() {
    return defaults().withPriorSd(0);
  }

  public FitOptions withPriorSd(double sd) {
    return new FitOptions(sd, standardErrors, exactStandardErrorLimit, tolerance, maxIterations);
  }

  public FitOptions withStandardErrors(boolean on) {
    return new FitOptions(priorSd, on, exactStandardErrorLimit, tolerance, maxIterations);
  }

  public FitOptions withExactStandardErrorLimit(int limit) {
    return new FitOptions(priorSd, standardErrors, limit, tolerance, maxIterations);
  }

  public boolean hasPrior() {
    return priorSd > 0;
  }

  /** Prior precision 1/σ², 0 without a prior. */
  double priorPrecision() {
    return hasPrior() ? 1.0 / (priorSd * priorSd) : 0.0;
  }
}
