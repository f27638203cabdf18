package org.cjassessment.core.bt;

import java.util.List;

/** Naive dense linear algebra, independent of the production code, to check it. */
final class TestMatrices {

  private TestMatrices() {}

  static int index(String id) {
    return Integer.parseInt(id.substring(1));
  }

  /** Fisher information of the abilities (plus λ on the diagonal), comparison by comparison. */
  static double[][] information(List<Comparison> comparisons, FitResult fit, double lambda) {
    int n = fit.essays().size();
    double[][] h = new double[n][n];
    for (int i = 0; i < n; i++) {
      h[i][i] = lambda;
    }
    for (Comparison c : comparisons) {
      int w = index(c.winner());
      int l = index(c.loser());
      double p = NewtonFit.sigmoid(fit.essays().get(w).score() - fit.essays().get(l).score());
      double v = p * (1 - p);
      h[w][w] += v;
      h[l][l] += v;
      h[w][l] -= v;
      h[l][w] -= v;
    }
    return h;
  }

  /** Pseudo-inverse of a connected Laplacian-shaped matrix: (L + J/n)⁻¹ − J/n. */
  static double[][] pseudoInverse(double[][] l) {
    int n = l.length;
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] = l[i][j] + 1.0 / n;
      }
    }
    double[][] inv = inverse(a);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        inv[i][j] -= 1.0 / n;
      }
    }
    return inv;
  }

  /**
   * Covariance of (θ, δ) for the position model under sum(θ) = 0: the joint information bordered by the constraint
   * (Lagrange form), inverted by Gauss–Jordan; the top-left block is the constrained covariance.
   */
  static double[][] pseudoInverseWithPosition(List<Comparison> comparisons, FitResult fit) {
    int n = fit.essays().size();
    double delta = fit.positionEffect().orElseThrow().estimate();
    int m = n + 2;
    double[][] k = new double[m][m];
    for (Comparison c : comparisons) {
      int f = index(c.firstShown());
      int s = f == index(c.winner()) ? index(c.loser()) : index(c.winner());
      double p = NewtonFit.sigmoid(fit.essays().get(f).score() - fit.essays().get(s).score() + delta);
      double v = p * (1 - p);
      double[] d = new double[m];
      d[f] = 1;
      d[s] = -1;
      d[n] = 1;
      for (int i = 0; i <= n; i++) {
        for (int j = 0; j <= n; j++) {
          k[i][j] += v * d[i] * d[j];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      k[i][n + 1] = 1;
      k[n + 1][i] = 1;
    }
    return inverse(k);
  }

  /** P M P with P = I − 11ᵀ/n: the covariance of the centred parameters, by explicit matrix products. */
  static double[][] centred(double[][] m) {
    int n = m.length;
    double[][] p = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        p[i][j] = (i == j ? 1 : 0) - 1.0 / n;
      }
    }
    return times(times(p, m), p);
  }

  static double[][] times(double[][] a, double[][] b) {
    int n = a.length;
    double[][] c = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        for (int j = 0; j < n; j++) {
          c[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return c;
  }

  static double[][] inverse(double[][] m) {
    int n = m.length;
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], 0, a[i], 0, n);
      a[i][n + i] = 1;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = a[col];
      a[col] = a[pivot];
      a[pivot] = t;
      double d = a[col][col];
      for (int j = 0; j < 2 * n; j++) {
        a[col][j] /= d;
      }
      for (int r = 0; r < n; r++) {
        if (r != col && a[r][col] != 0) {
          double f = a[r][col];
          for (int j = 0; j < 2 * n; j++) {
            a[r][j] -= f * a[col][j];
          }
        }
      }
    }
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], n, inv[i], 0, n);
    }
    return inv;
  }
}
