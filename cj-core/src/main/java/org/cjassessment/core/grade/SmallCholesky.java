package org.cjassessment.core.grade;

/**
 * Cholesky factorisation and solve for the small symmetric positive-definite systems of the grade model (one row per
 * boundary): the threshold fit's Newton steps and the boundary posterior's draws share it.
 */
final class SmallCholesky {

  private SmallCholesky() {}

  /** Lower factor L with L Lᵀ = a; null if a is not positive definite. */
  static double[][] factor(double[][] a) {
    int n = a.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int p = 0; p < j; p++) {
          s -= l[i][p] * l[j][p];
        }
        if (i == j) {
          if (!(s > 0) || !Double.isFinite(s)) {
            return null;
          }
          l[i][i] = Math.sqrt(s);
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    return l;
  }

  /** x with a x = b; null if a is not positive definite or the solution is not finite. */
  static double[] solve(double[][] a, double[] b) {
    double[][] l = factor(a);
    if (l == null) {
      return null;
    }
    int n = b.length;
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = b[i];
      for (int p = 0; p < i; p++) {
        s -= l[i][p] * y[p];
      }
      y[i] = s / l[i][i];
    }
    double[] x = backSubstitute(l, y);
    for (double v : x) {
      if (!Double.isFinite(v)) {
        return null;
      }
    }
    return x;
  }

  /** x = L⁻ᵀ z, for the lower factor L of {@link #factor}. */
  static double[] backSubstitute(double[][] l, double[] z) {
    int k = z.length;
    double[] x = new double[k];
    for (int i = k - 1; i >= 0; i--) {
      double s = z[i];
      for (int p = i + 1; p < k; p++) {
        s -= l[p][i] * x[p];
      }
      x[i] = s / l[i][i];
    }
    return x;
  }
}
