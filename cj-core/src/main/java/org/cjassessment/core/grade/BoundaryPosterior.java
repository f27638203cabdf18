package org.cjassessment.core.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws of the grade boundaries from their posterior under the ordered-probit fit (likelihood × width prior), by
 * sampling–importance–resampling: proposals from the Laplace approximation at the optimum, in the coordinates
 * (τ₀, log w₁, …, log w_{K−1}) — the lowest boundary and the log widths, so every proposal is strictly ordered — and
 * widened by {@link #PROPOSAL_SCALE}; each weighted by the exact posterior over the proposal density; then the draws
 * resampled by weight (systematic resampling, seeded).
 *
 * <p>Why the posterior of this fit and not refitting to anchors moved by their SEs (the parametric bootstrap used
 * before): the probit already holds each anchor's SE in its noise √(σ² + SE²) — the likelihood of a teacher's grade
 * given an estimated ability — so its posterior carries the anchors' uncertainty once, together with what a
 * bootstrap leaves out: where between two anchors a boundary lies is uncertain even when the anchors are exact.
 * Why not the Laplace approximation alone: where a boundary's posterior is a plateau between two precise anchors it
 * sees only the prior's curvature and is far too wide (and then noisier anchors gave sharper grades). Figures:
 * docs/GRADES.md.
 */
final class BoundaryPosterior {

  /** Proposals per resampled draw, and how much wider than the Laplace approximation they are drawn. */
  static final int PROPOSALS_PER_DRAW = 5;

  static final double PROPOSAL_SCALE = 1.5;

  private BoundaryPosterior() {}

  /**
   * @return up to {@code draws} ordered boundary vectors; none when the curvature is not usable (not finite, not
   *     negative definite: then the point estimate stands alone)
   */
  static List<double[]> draw(ThresholdFit problem, double[] tau, int draws, long seed) {
    int k = tau.length;
    double[] g = new double[k];
    double[][] h = new double[k][k];
    if (draws == 0 || !problem.gradientAndHessian(tau, g, h)) {
      return List.of();
    }
    // Coordinates z = (τ₀, log w₁, …, log w_{k−1}); Jacobian ∂τ_c/∂z₀ = 1, ∂τ_c/∂z_j = w_j for 1 ≤ j ≤ c.
    double[] w = new double[k];
    for (int c = 1; c < k; c++) {
      w[c] = tau[c] - tau[c - 1];
    }
    double[][] jac = new double[k][k];
    for (int c = 0; c < k; c++) {
      jac[c][0] = 1;
      for (int j = 1; j <= c; j++) {
        jac[c][j] = w[j];
      }
    }
    // Precision in z: Jᵀ(−H)J (the gradient is zero at the optimum, so the transform adds no second-order term).
    double[][] precision = new double[k][k];
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        double sum = 0;
        for (int r = 0; r < k; r++) {
          for (int c = 0; c < k; c++) {
            sum -= jac[r][a] * h[r][c] * jac[c][b];
          }
        }
        precision[a][b] = sum;
      }
    }
    double[][] l = SmallCholesky.factor(precision);
    if (l == null) {
      return List.of();
    }
    // Sampling–importance–resampling: proposals from the Laplace approximation widened by PROPOSAL_SCALE, weighted
    // by the exact posterior over the proposal density, then `draws` of them resampled by those weights. The
    // Laplace approximation alone is too wide where a boundary's posterior is a plateau between two precise
    // anchors (it sees only the prior's curvature there) and too narrow where the likelihood is skewed.
    Random random = new Random(seed);
    int proposals = PROPOSALS_PER_DRAW * draws;
    double[][] candidates = new double[proposals][];
    double[] logWeight = new double[proposals];
    double best = Double.NEGATIVE_INFINITY;
    double[] z = new double[k];
    for (int d = 0; d < proposals; d++) {
      double squared = 0;
      for (int c = 0; c < k; c++) {
        z[c] = random.nextGaussian();
        squared += z[c] * z[c];
      }
      double[] delta = SmallCholesky.backSubstitute(l, z); // covariance (L Lᵀ)⁻¹
      double[] drawn = new double[k];
      double logJacobian = 0;
      drawn[0] = tau[0] + PROPOSAL_SCALE * delta[0];
      for (int c = 1; c < k; c++) {
        double logWidth = Math.log(w[c]) + PROPOSAL_SCALE * delta[c];
        logJacobian += logWidth;
        drawn[c] = drawn[c - 1] + Math.exp(logWidth);
      }
      double target = problem.objective(drawn);
      candidates[d] = drawn;
      // log p(τ(z)) + log|∂τ/∂z| − log q(z), q the proposal density up to a constant
      logWeight[d] = Double.isFinite(target) ? target + logJacobian + 0.5 * squared : Double.NEGATIVE_INFINITY;
      best = Math.max(best, logWeight[d]);
    }
    if (!Double.isFinite(best)) {
      return List.of();
    }
    double[] cumulative = new double[proposals];
    double total = 0;
    for (int d = 0; d < proposals; d++) {
      total += Math.exp(logWeight[d] - best);
      cumulative[d] = total;
    }
    // Systematic resampling: one uniform offset, `draws` evenly spaced points through the cumulative weights.
    List<double[]> out = new ArrayList<>(draws);
    double offset = random.nextDouble();
    int index = 0;
    for (int d = 0; d < draws; d++) {
      double point = (d + offset) / draws * total;
      while (index < proposals - 1 && cumulative[index] < point) {
        index++;
      }
      out.add(candidates[index]);
    }
    return out;
  }
}
