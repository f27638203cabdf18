package org.cjassessment.core.bt;

/**
 * The quasi-likelihood dispersion φ of soft outcomes: Pearson χ² / (m − p), the factor by which their variance
 * falls short of (or exceeds) the binomial μ(1 − μ). Every variance and covariance of the fit is multiplied by it.
 *
 * <p>Why: a soft outcome y ∈ [0, 1] (the judge's probability) varies less than a Bernoulli outcome with the same
 * mean, so the information Σ μ(1 − μ) — which does not look at the outcomes — overstates the variance of the
 * estimate. For the simulated judge (a logistic perception, stated as σ of it) Var(y) ≈ μ(1 − μ)/3 over the usual
 * range; quasi-likelihood (Wedderburn 1974; R's {@code glm(family = quasibinomial)}) keeps the estimate and scales
 * the covariance by the one pooled φ. A sandwich estimator would not assume Var ∝ μ(1 − μ), but with ~10
 * comparisons per essay its per-essay meat is noisy and biased low, and it costs a second dense product.
 *
 * <p>Hard outcomes keep φ = 1, not an estimate: a Bernoulli variable's variance is fixed by its mean, so there is
 * nothing to estimate, and the Pearson statistic of single binary outcomes carries no information about
 * overdispersion (it is dominated by the fitted probabilities, not by the data). Mixed data (some comparisons soft)
 * get one pooled φ over all comparisons, as R would compute it.
 */
final class Dispersion {

  private Dispersion() {}

  /**
   * @param parameters the number of free parameters fitted (abilities less one per centred group, plus the
   *     position effect)
   * @return φ; 1 for hard outcomes, and when there are no residual degrees of freedom to estimate it from
   */
  static double of(NewtonFit fit, ComparisonData data, int parameters) {
    if (data.softComparisons == 0) {
      return 1;
    }
    double pearson = 0;
    double observations = 0;
    for (int r = 0; r < data.records(); r++) {
      double mu = NewtonFit.sigmoid(fit.eta(fit.x, r));
      double variance = mu * (1 - mu);
      observations += data.n[r];
      // Σ_k (y_k − μ)² over the record's comparisons, from its sums Σy and Σy².
      double squares = data.squaresA[r] - 2 * mu * data.winsA[r] + data.n[r] * mu * mu;
      if (variance > 0) {
        pearson += Math.max(0, squares) / variance;
      }
    }
    double degreesOfFreedom = observations - parameters;
    if (degreesOfFreedom < 1 || !(pearson > 0) || !Double.isFinite(pearson)) {
      return 1;
    }
    return pearson / degreesOfFreedom;
  }
}
