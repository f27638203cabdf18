package org.cjassessment.core.bt;

import java.util.SplittableRandom;

/**
 * What SSR must not count as error under a prior: the part of each posterior variance that is the prior's
 * shrinkage, not the estimate's sampling noise.
 *
 * <p>Reliability is the share of the scores' variance that is signal: var(θ̂) = var(signal) + var(noise), the noise
 * being how much θ̂ moves over repetitions of the judging. Under the prior the estimate is the MAP, whose sampling
 * covariance is the sandwich C H C, C = (H + λI)⁻¹ the posterior covariance; since C H = I − λC, that is C − λC²
 * (exactly centred, since H 1 = 0). The posterior variance C also carries the uncertainty the shrinkage adds (the
 * MAP is pulled towards 0 by an amount that depends on the unknown truth), and pulling a score in does not lower its
 * correlation with the truth. So SSR subtracts the mean of diag(C − λC²), not of diag(C): this returns the mean of
 * λ diag(C²) (with soft outcomes, C is φ times the unit-dispersion covariance and the sandwich is
 * φ(C₁ − λC₁²) = C − (λ/φ)C², so the factor is λ/φ). Plain MLE: 0. The essays' reported SEs stay the posterior ones.
 *
 * <p>In simulation (docs/SCORING.md) this SSR is within 0.01 of the plain MLE's from 10 comparisons per essay and
 * closer to the true reliability than SSR from the posterior variances.
 *
 * <p>Cost: Σⱼ Cᵢⱼ² needs every entry. Up to {@link #EXACT_LIMIT} essays exactly (O(n³)); above, by Hutchinson's
 * estimator trace(C²) = E‖C z‖² with {@link #PROBES} Rademacher vectors (O(n²) each, seeded, so deterministic; its
 * error is a few per cent of a correction that is itself ~0.02 of SSR); on the approximate path (diagonal C) from
 * the variances alone, which leaves out the covariances and so corrects a little too little.
 */
final class ShrinkageVariance {

  static final int EXACT_LIMIT = 300;
  static final int PROBES = 8;
  private static final long SEED = 0x55A1L;

  private ShrinkageVariance() {}

  /**
   * @param lambda prior precision 1/σ² (0 = plain MLE: returns 0)
   * @param dispersion φ the covariance was multiplied by
   * @return mean over the essays of (λ/φ)·(C²)ᵢᵢ, to subtract from the mean squared SE
   */
  static double meanCorrection(ScoreCovariance covariance, double lambda, double dispersion) {
    int n = covariance.size();
    if (!(lambda > 0) || n < 2) {
      return 0;
    }
    double trace = 0;
    if (!covariance.exact()) {
      for (int i = 0; i < n; i++) {
        double v = covariance.variance(i);
        trace += Double.isFinite(v) ? v * v : 0;
      }
    } else if (n <= EXACT_LIMIT) {
      double[][] c = covariance.matrix();
      for (double[] row : c) {
        for (double v : row) {
          trace += v * v;
        }
      }
    } else {
      SplittableRandom random = new SplittableRandom(SEED);
      double[] z = new double[n];
      for (int p = 0; p < PROBES; p++) {
        for (int i = 0; i < n; i++) {
          z[i] = random.nextBoolean() ? 1 : -1;
        }
        double[] y = covariance.times(z);
        double squared = 0;
        for (double v : y) {
          squared += v * v;
        }
        trace += squared / PROBES;
      }
    }
    return lambda / dispersion * trace / n;
  }
}
