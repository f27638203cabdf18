package org.cjassessment.core.bt;

import java.util.HashMap;
import java.util.Map;

/**
 * Standard errors of the centred scores from the (penalised) Fisher information at the estimate.
 *
 * <ul>
 *   <li>With a prior: the Laplace posterior covariance (H + λI)⁻¹ projected onto the sum-to-zero subspace,
 *       P (H + λI)⁻¹ P = (H + λI)⁻¹ − J/(λn): the published scores are centred and comparisons carry no
 *       information about the scale's level, so the level's prior variance 1/(λn) is not part of their SEs.
 *   <li>Plain MLE: the covariance under the sum-to-zero constraint within each strongly connected component, i.e.
 *       the Moore–Penrose inverse H⁺ = (H + J/k)⁻¹ − J/k of the component's Laplacian-shaped information (not the
 *       upstream "reference essay has SE 0" convention, which makes every SE depend on an arbitrary choice).
 *   <li>With a position effect δ: the ability block of the inverse of the joint information, via a Schur complement
 *       (Sherman–Morrison on the one extra parameter), and Var(δ) = 1 / (H_δδ − uᵀH_θθ⁺u).
 * </ul>
 * Blocks of at most {@code exactLimit} essays are exact (dense O(k³)); larger blocks use the second-order Neumann
 * approximation Var_i ≈ 1/Dᵢ + Σⱼ Wᵢⱼ² / (Dᵢ² Dⱼ) (D the information diagonal, W the off-diagonal weights), whose
 * error is measured in docs/SCORING.md; the position-effect variance stays exact (one CG solve).
 *
 * <p>Every variance and covariance is multiplied by the quasi-likelihood dispersion φ ({@link Dispersion}): 1 for
 * hard outcomes, Pearson χ² / (m − p) when the outcomes are soft, on the exact and the approximate path alike.
 */
final class StandardErrors {

  /** Variance per essay; NaN marks "not identified" (a singleton component without a prior) and never escapes. */
  final double[] variance;
  final double positionVariance;
  final boolean exact;
  final ScoreCovariance covariance;
  final double dispersion;

  private StandardErrors(
      double[] variance, double positionVariance, boolean exact, ScoreCovariance covariance, double dispersion) {
    this.variance = variance;
    this.positionVariance = positionVariance;
    this.exact = exact;
    this.covariance = covariance;
    this.dispersion = dispersion;
  }

  static StandardErrors of(
      NewtonFit fit, ComparisonData data, double lambda, int[] group, int[] sizes, int exactLimit) {
    int n = data.essays();
    int free = lambda > 0 ? n - 1 : n - sizes.length;
    double dispersion = Dispersion.of(fit, data, free + (fit.withPosition() ? 1 : 0));
    return of(fit, data, lambda, group, sizes, exactLimit, dispersion);
  }

  private static StandardErrors of(NewtonFit fit, ComparisonData data, double lambda, int[] group, int[] sizes,
      int exactLimit, double dispersion) {
    int n = data.essays();
    double[] weights = new double[data.records()];
    double[] gradient = new double[n + (fit.withPosition() ? 1 : 0)];
    fit.gradientAndWeights(fit.x, gradient, weights);
    double[] diag = fit.hessianDiagonal(weights);
    double[] u = new double[n]; // cross information between abilities and the position effect
    if (fit.withPosition()) {
      for (int r = 0; r < data.records(); r++) {
        double w = weights[r] * data.order[r];
        u[data.a[r]] += w;
        u[data.b[r]] -= w;
      }
    }
    boolean prior = lambda > 0;
    int groups = prior ? 1 : sizes.length;
    int[] groupOf = prior ? new int[n] : group;
    int[][] members = membersOf(groupOf, groups, n);
    boolean exact = true;
    for (int[] m : members) {
      exact &= m.length <= exactLimit;
    }

    double[] variance = new double[n];
    double[] solvedU = new double[n]; // H_θθ⁺ u (or (H+λI)⁻¹ u)
    double[][][] factors = new double[groups][][];
    double[] shifts = new double[groups];
    int[] localIndex = new int[n];
    if (exact) {
      Map<Long, Double> offDiagonal = offDiagonal(data, weights);
      java.util.List<java.util.List<Map.Entry<Long, Double>>> entriesOf = new java.util.ArrayList<>();
      for (int g = 0; g < groups; g++) {
        entriesOf.add(new java.util.ArrayList<>());
      }
      for (Map.Entry<Long, Double> e : offDiagonal.entrySet()) {
        entriesOf.get(groupOf[(int) (e.getKey() / n)]).add(e);
      }
      for (int[] m : members) {
        int k = m.length;
        if (!prior && k == 1) {
          variance[m[0]] = Double.NaN;
          continue;
        }
        int[] local = localIndex;
        for (int i = 0; i < k; i++) {
          local[m[i]] = i;
        }
        double fill = prior ? 0 : 1.0 / k;
        double[][] a = new double[k][k];
        for (int i = 0; i < k; i++) {
          java.util.Arrays.fill(a[i], fill);
          a[i][i] += diag[m[i]];
        }
        // What centring takes off every entry: J/k of the MLE's (H + J/k)⁻¹, the level's 1/(λn) under the prior
        // ((H + λI)⁻¹ 1 = 1/λ because the likelihood's information rows sum to zero).
        double shift = prior ? 1.0 / (lambda * k) : 1.0 / k;
        for (Map.Entry<Long, Double> e : entriesOf.get(groupOf[m[0]])) {
          int li = local[(int) (e.getKey() / n)];
          int lj = local[(int) (e.getKey() % n)];
          a[Math.min(li, lj)][Math.max(li, lj)] -= e.getValue();
        }
        DenseInverse inverse = DenseInverse.of(a);
        double[] d = inverse.diagonal();
        for (int i = 0; i < k; i++) {
          variance[m[i]] = d[i] - shift;
        }
        factors[groupOf[m[0]]] = inverse.factor();
        shifts[groupOf[m[0]]] = shift;
        if (fit.withPosition()) {
          double[] uLocal = new double[k];
          for (int i = 0; i < k; i++) {
            uLocal[i] = u[m[i]];
          }
          double[] s = inverse.times(uLocal);
          for (int i = 0; i < k; i++) {
            solvedU[m[i]] = s[i];
          }
        }
      }
    } else {
      neumannApproximation(data, weights, diag, variance);
      if (fit.withPosition()) {
        fit.solveAbilities(weights, u, solvedU);
      }
      if (!prior) {
        for (int[] m : members) {
          if (m.length == 1) {
            variance[m[0]] = Double.NaN;
          }
        }
      }
    }

    double positionVariance = Double.NaN;
    double[] positionTerm = new double[n];
    if (fit.withPosition()) {
      double schur = diag[n];
      for (int i = 0; i < n; i++) {
        schur -= u[i] * solvedU[i];
      }
      if (schur > 0) {
        positionVariance = 1 / schur;
        double scale = 1 / Math.sqrt(schur);
        for (int i = 0; i < n; i++) {
          // (H+λI)⁻¹u is already centred: 1ᵀ(H+λI)⁻¹u = uᵀ1/λ = 0, since each record adds +w and −w to u.
          variance[i] += solvedU[i] * solvedU[i] / schur;
          positionTerm[i] = solvedU[i] * scale;
        }
      }
    }
    if (dispersion != 1) {
      double root = Math.sqrt(dispersion);
      for (int i = 0; i < n; i++) {
        variance[i] *= dispersion;
        positionTerm[i] *= root;
      }
      positionVariance *= dispersion;
      for (int g = 0; g < groups; g++) {
        shifts[g] *= dispersion;
        if (factors[g] != null) {
          for (double[] row : factors[g]) {
            for (int c = 0; c < row.length; c++) {
              row[c] *= root;
            }
          }
        }
      }
    }
    int[] covarianceGroup = new int[n];
    for (int i = 0; i < n; i++) {
      if (variance[i] < 0) {
        variance[i] = 0; // round-off on a near-deterministic essay
      }
      covarianceGroup[i] = Double.isNaN(variance[i]) ? -1 : groupOf[i];
    }
    ScoreCovariance covariance = new ScoreCovariance(n, exact, variance, covarianceGroup, localIndex, members,
        exact ? factors : null, shifts, positionTerm);
    return new StandardErrors(variance, positionVariance, exact, covariance, dispersion);
  }

  /** Off-diagonal information W_ij (i < j) summed over the records of each pair. Key: i·n + j. */
  private static Map<Long, Double> offDiagonal(ComparisonData data, double[] weights) {
    int n = data.essays();
    Map<Long, Double> w = new HashMap<>(data.records() * 2);
    for (int r = 0; r < data.records(); r++) {
      w.merge((long) data.a[r] * n + data.b[r], weights[r], Double::sum);
    }
    return w;
  }

  private static void neumannApproximation(
      ComparisonData data, double[] weights, double[] diag, double[] variance) {
    int n = data.essays();
    for (int i = 0; i < n; i++) {
      variance[i] = diag[i] > 0 ? 1 / diag[i] : 0;
    }
    for (Map.Entry<Long, Double> e : offDiagonal(data, weights).entrySet()) {
      int i = (int) (e.getKey() / n);
      int j = (int) (e.getKey() % n);
      double w2 = e.getValue() * e.getValue();
      variance[i] += w2 / (diag[i] * diag[i] * diag[j]);
      variance[j] += w2 / (diag[j] * diag[j] * diag[i]);
    }
  }

  private static int[][] membersOf(int[] groupOf, int groups, int n) {
    int[] count = new int[groups];
    for (int i = 0; i < n; i++) {
      count[groupOf[i]]++;
    }
    int[][] members = new int[groups][];
    for (int g = 0; g < groups; g++) {
      members[g] = new int[count[g]];
    }
    int[] fill = new int[groups];
    for (int i = 0; i < n; i++) {
      members[groupOf[i]][fill[groupOf[i]]++] = i;
    }
    return members;
  }
}
