package org.cjassessment.core.bt;

/**
 * Diagonal of the inverse of a dense symmetric positive-definite matrix, for exact standard errors. A blocked
 * Cholesky factorisation A = UᵀU followed by X = U⁻¹, both written as row-wise AXPY loops over contiguous arrays
 * that the JIT vectorises; then diag(A⁻¹)ᵢ = ‖row i of X‖². About n³/3 multiply-adds in all.
 *
 * <p>Hand-written because it is the hot spot of exact standard errors: EJML's {@code invertSPD} took about 1 s for
 * n = 1,000 on the project machine against about 0.1 s for this (see docs/SCORING.md).
 */
final class DenseInverse {

  private static final int BLOCK = 32;

  private final double[][] x;

  private DenseInverse(double[][] x) {
    this.x = x;
  }

  /** Factorises {@code a} (overwritten; only the upper triangle is read). */
  static DenseInverse of(double[][] a) {
    choleskyUpper(a);
    return new DenseInverse(invertUpper(a));
  }

  /** X = U⁻¹ (upper triangular, A⁻¹ = X Xᵀ); shared, not copied: callers must not modify it. */
  double[][] factor() {
    return x;
  }

  double[] diagonal() {
    int n = x.length;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      double[] xi = x[i];
      double sum = 0;
      for (int c = i; c < n; c++) {
        sum += xi[c] * xi[c];
      }
      d[i] = sum;
    }
    return d;
  }

  /** A⁻¹v = X (Xᵀ v). */
  double[] times(double[] v) {
    int n = x.length;
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      double vi = v[i];
      double[] xi = x[i];
      for (int c = i; c < n; c++) {
        t[c] += xi[c] * vi;
      }
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double[] xi = x[i];
      double sum = 0;
      for (int c = i; c < n; c++) {
        sum += xi[c] * t[c];
      }
      out[i] = sum;
    }
    return out;
  }

  /** In place: the upper triangle of {@code a} becomes U with A = UᵀU (right-looking, panels of BLOCK rows). */
  static void choleskyUpper(double[][] a) {
    int n = a.length;
    for (int k0 = 0; k0 < n; k0 += BLOCK) {
      int k1 = Math.min(n, k0 + BLOCK);
      for (int k = k0; k < k1; k++) {
        double[] rk = a[k];
        if (!(rk[k] > 0)) {
          throw new ArithmeticException("information matrix is not positive definite at row " + k);
        }
        double d = Math.sqrt(rk[k]);
        rk[k] = d;
        double inv = 1 / d;
        for (int j = k + 1; j < n; j++) {
          rk[j] *= inv;
        }
        for (int i = k + 1; i < k1; i++) {
          double f = rk[i];
          double[] ri = a[i];
          for (int j = i; j < n; j++) {
            ri[j] -= f * rk[j];
          }
        }
      }
      // Trailing rows take the whole panel's update while each stays in L1; four panel rows per pass halve the
      // loads and stores per multiply-add.
      for (int i = k1; i < n; i++) {
        double[] ri = a[i];
        int k = k0;
        for (; k + 3 < k1; k += 4) {
          double f0 = a[k][i];
          double f1 = a[k + 1][i];
          double f2 = a[k + 2][i];
          double f3 = a[k + 3][i];
          double[] r0 = a[k];
          double[] r1 = a[k + 1];
          double[] r2 = a[k + 2];
          double[] r3 = a[k + 3];
          for (int j = i; j < n; j++) {
            ri[j] -= f0 * r0[j] + f1 * r1[j] + f2 * r2[j] + f3 * r3[j];
          }
        }
        for (; k < k1; k++) {
          double f = a[k][i];
          double[] rk = a[k];
          for (int j = i; j < n; j++) {
            ri[j] -= f * rk[j];
          }
        }
      }
    }
  }

  /** X = U⁻¹ (upper triangular) by rows, from the bottom, in blocks: row i = (eᵢ − Σ_{j>i} U_ij X_j) / U_ii. */
  static double[][] invertUpper(double[][] u) {
    int n = u.length;
    double[][] x = new double[n][n];
    for (int i1 = n; i1 > 0; i1 -= BLOCK) {
      int i0 = Math.max(0, i1 - BLOCK);
      for (int i = i0; i < i1; i++) {
        x[i][i] = 1;
      }
      // Rows below the block are final: apply them to every row of the block, four at a time (X is upper
      // triangular, so starting each row at the first of the four only multiplies a few zeros).
      int jj = i1;
      for (; jj + 3 < n; jj += 4) {
        int j = jj;
        double[] x0 = x[j];
        double[] x1 = x[j + 1];
        double[] x2 = x[j + 2];
        double[] x3 = x[j + 3];
        for (int i = i0; i < i1; i++) {
          double[] ui = u[i];
          double f0 = ui[j];
          double f1 = ui[j + 1];
          double f2 = ui[j + 2];
          double f3 = ui[j + 3];
          double[] xi = x[i];
          for (int c = j; c < n; c++) {
            xi[c] -= f0 * x0[c] + f1 * x1[c] + f2 * x2[c] + f3 * x3[c];
          }
        }
      }
      for (; jj < n; jj++) {
        double[] xj = x[jj];
        int j = jj;
        for (int i = i0; i < i1; i++) {
          double f = u[i][j];
          double[] xi = x[i];
          for (int c = j; c < n; c++) {
            xi[c] -= f * xj[c];
          }
        }
      }
      for (int i = i1 - 1; i >= i0; i--) {
        double[] xi = x[i];
        for (int j = i + 1; j < i1; j++) {
          double f = u[i][j];
          double[] xj = x[j];
          for (int c = j; c < n; c++) {
            xi[c] -= f * xj[c];
          }
        }
        double inv = 1 / u[i][i];
        for (int c = i; c < n; c++) {
          xi[c] *= inv;
        }
      }
    }
    return x;
  }
}
