package org.cjassessment.core.bt;

import java.util.Random;

/**
 * The covariance of the published (centred) scores: the posterior covariance projected onto the sum-to-zero
 * subspace, P C P with P = I − 11ᵀ/k within each group of essays fitted together (the whole batch with a prior,
 * each strongly connected component for a per-component MLE). Indices follow {@link FitResult#essays()} (essay-id
 * order).
 *
 * <p>Why centred: comparisons say nothing about the overall level of the scale and the published scores are centred,
 * so the level's uncertainty (σ²/n per essay under the prior) must not be in their standard errors. Because every
 * row of the likelihood's information sums to zero, (H + I/σ²)⁻¹ 1 = σ² 1 and the projection is exactly
 * C − (σ²/n) 11ᵀ; for the plain MLE, ((H + J/k)⁻¹ − J/k) is already centred (the Moore–Penrose inverse).
 *
 * <p>Exact path (blocks up to the exact limit): kept as the inverse Cholesky factor X (C = X Xᵀ), so an entry costs
 * O(k) and a draw O(k²); the dense matrix is never formed unless asked for. Approximate path (larger blocks): the
 * documented Neumann variances and zero off-diagonal covariances; draws are independent. {@link #exact()} says
 * which. Immutable after construction; safe to share between threads.
 */
public final class ScoreCovariance {

  private final int n;
  private final boolean exact;
  private final double[] variance;
  /** Per essay: its group (−1: not identified, no covariance) and its index inside the group. */
  private final int[] groupOf;
  private final int[] localIndex;
  private final int[][] members;
  /** Exact path: C_g = X_g X_gᵀ − shift_g J per group. */
  private final double[][][] factor;
  private final double[] shift;
  /** The position effect's contribution to the ability block: + v vᵀ (v already centred); zeros without it. */
  private final double[] positionTerm;

  ScoreCovariance(int n, boolean exact, double[] variance, int[] groupOf, int[] localIndex, int[][] members,
      double[][][] factor, double[] shift, double[] positionTerm) {
    this.n = n;
    this.exact = exact;
    this.variance = variance;
    this.groupOf = groupOf;
    this.localIndex = localIndex;
    this.members = members;
    this.factor = factor;
    this.shift = shift;
    this.positionTerm = positionTerm;
  }

  static ScoreCovariance none(int n) {
    double[] nan = new double[n];
    java.util.Arrays.fill(nan, Double.NaN);
    int[] group = new int[n];
    java.util.Arrays.fill(group, -1);
    return new ScoreCovariance(n, false, nan, group, new int[n], new int[0][], null, new double[0], new double[n]);
  }

  public int size() {
    return n;
  }

  /** True when every entry is exact; false when the blocks exceeded the exact limit (diagonal approximation). */
  public boolean exact() {
    return exact;
  }

  /** Variance of essay i's centred score; NaN when the essay is not identified. */
  public double variance(int i) {
    return variance[i];
  }

  /**
   * Covariance of the centred scores of essays i and j. 0 between essays fitted in different groups (their scores
   * are not on one scale) and, on the approximate path, between any two different essays.
   */
  public double covariance(int i, int j) {
    if (i == j) {
      return variance[i];
    }
    int g = groupOf[i];
    if (g < 0 || groupOf[j] < 0) {
      return 0;
    }
    double position = positionTerm[i] * positionTerm[j];
    if (!exact || g != groupOf[j]) {
      return exact ? position : 0;
    }
    double[][] x = factor[g];
    int a = Math.min(localIndex[i], localIndex[j]);
    int b = Math.max(localIndex[i], localIndex[j]);
    double[] xa = x[a];
    double[] xb = x[b];
    double sum = 0;
    for (int c = b; c < xa.length; c++) { // X is upper triangular: row a is zero left of a, row b left of b
      sum += xa[c] * xb[c];
    }
    return sum - shift[g] + position;
  }

  /** Variance of the difference of two essays' scores, Var(θᵢ − θⱼ): what a comparison between them resolves. */
  public double differenceVariance(int i, int j) {
    return Math.max(0, variance(i) + variance(j) - 2 * covariance(i, j));
  }

  /**
   * The covariance times a vector, C v (O(n²) on the exact path, from the factor; O(n) on the approximate path,
   * where C is diagonal). Essays that are not identified contribute and receive 0.
   */
  public double[] times(double[] v) {
    double[] y = new double[n];
    if (!exact) {
      for (int i = 0; i < n; i++) {
        y[i] = Double.isFinite(variance[i]) ? variance[i] * v[i] : 0;
      }
      return y;
    }
    double positionDot = 0;
    for (int i = 0; i < n; i++) {
      if (groupOf[i] >= 0) {
        positionDot += positionTerm[i] * v[i];
      }
    }
    for (int g = 0; g < members.length; g++) {
      int[] m = members[g];
      double[][] x = factor[g];
      if (x == null) {
        continue;
      }
      int k = m.length;
      double[] w = new double[k]; // Xᵀ v: X is upper triangular, row i zero left of i
      double sum = 0;
      for (int i = 0; i < k; i++) {
        double vi = v[m[i]];
        sum += vi;
        double[] xi = x[i];
        for (int c = i; c < k; c++) {
          w[c] += xi[c] * vi;
        }
      }
      double[] xw = upperTimes(x, w);
      for (int i = 0; i < k; i++) {
        y[m[i]] = xw[i] - shift[g] * sum;
      }
    }
    for (int i = 0; i < n; i++) {
      y[i] = groupOf[i] >= 0 ? y[i] + positionTerm[i] * positionDot : 0;
    }
    return y;
  }

  /** X v for the upper-triangular factor X of one group (row i is zero left of i). */
  private static double[] upperTimes(double[][] x, double[] v) {
    double[] y = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      double[] xi = x[i];
      double dot = 0;
      for (int c = i; c < v.length; c++) {
        dot += xi[c] * v[c];
      }
      y[i] = dot;
    }
    return y;
  }

  /** The dense matrix (n × n, O(n³) on the exact path): for callers that need every entry. */
  public double[][] matrix() {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double v = covariance(i, j);
        m[i][j] = Double.isNaN(v) ? 0 : v;
        m[j][i] = m[i][j];
      }
    }
    return m;
  }

  /**
   * One draw of the score deviations from N(0, P C P) (essays not identified get 0). On the exact path
   * y = X z, centred within its group; on the approximate path independent normals with the marginal variances.
   */
  public double[] sampleDeviation(Random random) {
    double[] out = new double[n];
    if (exact) {
      for (int g = 0; g < members.length; g++) {
        int[] m = members[g];
        double[][] x = factor[g];
        if (x == null) {
          continue;
        }
        int k = m.length;
        double[] z = new double[k];
        for (int c = 0; c < k; c++) {
          z[c] = random.nextGaussian();
        }
        double[] y = upperTimes(x, z);
        double mean = 0;
        for (double v : y) {
          mean += v;
        }
        mean /= k;
        for (int i = 0; i < k; i++) {
          out[m[i]] = y[i] - mean;
        }
      }
      double z0 = random.nextGaussian();
      for (int i = 0; i < n; i++) {
        if (groupOf[i] >= 0) {
          out[i] += positionTerm[i] * z0;
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        double v = variance[i];
        out[i] = Double.isFinite(v) ? Math.sqrt(v) * random.nextGaussian() : 0;
      }
    }
    return out;
  }
}
