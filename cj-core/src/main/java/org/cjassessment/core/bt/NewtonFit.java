package org.cjassessment.core.bt;

/**
 * Maximises the (penalised) Bradley–Terry log-likelihood by Newton's method with a backtracking line search; each
 * Newton system is solved by Jacobi-preconditioned conjugate gradients on the sparse Hessian (one term per distinct
 * (pair, order) record), so an iteration costs O(records × CG steps) and never forms an n×n matrix.
 *
 * <p>Parameters: abilities θ (one per essay) and, when any presentation order is known, a position effect δ added
 * to the first-shown essay: P(first wins) = σ(θ_first − θ_second + δ). Without a prior the abilities are identified
 * only up to a constant per group; every step is projected onto "sum zero within each group".
 */
final class NewtonFit {

  /**
   * Relative residual at which CG stops. Tighter buys nothing: Newton corrects an inexact step in the next
   * iteration, and below ~1e-12 the residual only stagnates in round-off while CG keeps iterating.
   */
  private static final double CG_TOLERANCE = 1e-10;

  private final ComparisonData data;
  private final double lambda;
  private final int[] group;
  private final int groups;
  private final boolean withPosition;
  private final int n;
  private final int dim;

  /** Fitted parameters: θ in [0, n), δ at n when fitted. */
  final double[] x;
  int iterations;
  boolean converged;

  NewtonFit(ComparisonData data, double lambda, int[] group, int groups) {
    this.data = data;
    this.lambda = lambda;
    this.group = group;
    this.groups = groups;
    this.withPosition = data.anyOrderKnown;
    this.n = data.essays();
    this.dim = n + (withPosition ? 1 : 0);
    this.x = new double[dim];
  }

  boolean withPosition() {
    return withPosition;
  }

  void run(double tolerance, int maxIterations) {
    double current = logPosterior(x);
    double[] gradient = new double[dim];
    double[] weights = new double[data.records()];
    double[] step = new double[dim];
    double[] trial = new double[dim];
    for (iterations = 1; iterations <= maxIterations; iterations++) {
      gradientAndWeights(x, gradient, weights);
      solve(weights, gradient, step);
      double largest = 0;
      for (double s : step) {
        largest = Math.max(largest, Math.abs(s));
      }
      double t = 1.0;
      double next;
      while (true) {
        for (int i = 0; i < dim; i++) {
          trial[i] = x[i] + t * step[i];
        }
        center(trial);
        next = logPosterior(trial);
        // The objective is concave: a Newton step that does not improve it only overshoots; halve it.
        if (next >= current - 1e-12 * Math.abs(current) || t < 1e-8) {
          break;
        }
        t /= 2;
      }
      System.arraycopy(trial, 0, x, 0, dim);
      current = next;
      if (largest * t < tolerance) {
        converged = true;
        return;
      }
    }
    iterations = maxIterations;
  }

  double logLikelihood() {
    return logLikelihood(x);
  }

  /** Σ over records of wins·log σ(η) + losses·log σ(−η). */
  double logLikelihood(double[] p) {
    double sum = 0;
    for (int r = 0; r < data.records(); r++) {
      double eta = eta(p, r);
      sum += data.winsA[r] * logSigmoid(eta) + (data.n[r] - data.winsA[r]) * logSigmoid(-eta);
    }
    return sum;
  }

  private double logPosterior(double[] p) {
    double penalty = 0;
    if (lambda > 0) {
      for (int i = 0; i < n; i++) {
        penalty += p[i] * p[i];
      }
    }
    return logLikelihood(p) - 0.5 * lambda * penalty;
  }

  double eta(double[] p, int r) {
    double e = p[data.a[r]] - p[data.b[r]];
    return withPosition ? e + data.order[r] * p[n] : e;
  }

  /** Gradient of the log-posterior and the Fisher weights v_r = n_r p_r (1 − p_r) of every record. */
  void gradientAndWeights(double[] p, double[] gradient, double[] weights) {
    java.util.Arrays.fill(gradient, 0);
    for (int r = 0; r < data.records(); r++) {
      double prob = sigmoid(eta(p, r));
      double residual = data.winsA[r] - data.n[r] * prob;
      gradient[data.a[r]] += residual;
      gradient[data.b[r]] -= residual;
      if (withPosition) {
        gradient[n] += residual * data.order[r];
      }
      weights[r] = data.n[r] * prob * (1 - prob);
    }
    for (int i = 0; i < n; i++) {
      gradient[i] -= lambda * p[i];
    }
  }

  /** y = H v for the negative Hessian H = Σ v_r d_r d_rᵀ + λ I_θ, d_r = e_a − e_b + order·e_δ. */
  void hessianTimes(double[] weights, double[] v, double[] y) {
    hessianTimes(weights, v, y, withPosition);
  }

  private void hessianTimes(double[] weights, double[] v, double[] y, boolean withPosition) {
    for (int i = 0; i < n; i++) {
      y[i] = lambda * v[i];
    }
    if (withPosition) {
      y[n] = 0;
    }
    for (int r = 0; r < data.records(); r++) {
      int a = data.a[r];
      int b = data.b[r];
      double d = v[a] - v[b];
      if (withPosition) {
        d += data.order[r] * v[n];
      }
      double w = weights[r] * d;
      y[a] += w;
      y[b] -= w;
      if (withPosition) {
        y[n] += w * data.order[r];
      }
    }
  }

  double[] hessianDiagonal(double[] weights) {
    double[] diag = new double[dim];
    for (int i = 0; i < n; i++) {
      diag[i] = lambda;
    }
    for (int r = 0; r < data.records(); r++) {
      diag[data.a[r]] += weights[r];
      diag[data.b[r]] += weights[r];
      if (withPosition) {
        diag[n] += weights[r] * data.order[r] * data.order[r];
      }
    }
    return diag;
  }

  /**
   * Solves H s = g by preconditioned conjugate gradients. Without a prior H is singular (constants per group), but
   * g is orthogonal to its null space, so CG stays in the range; the result is projected to sum zero per group.
   */
  void solve(double[] weights, double[] rhs, double[] s) {
    solve(weights, rhs, s, withPosition);
  }

  /** Solves the ability block alone, H_θθ s = g (length n), as the position-effect standard error needs. */
  void solveAbilities(double[] weights, double[] rhs, double[] s) {
    solve(weights, rhs, s, false);
  }

  private void solve(double[] weights, double[] rhs, double[] s, boolean withPosition) {
    int dim = withPosition ? this.dim : n;
    double[] diag = hessianDiagonal(weights);
    double[] inv = new double[dim];
    for (int i = 0; i < dim; i++) {
      inv[i] = diag[i] > 1e-300 ? 1 / diag[i] : 0; // an essay without comparisons in its group stays where it is
    }
    java.util.Arrays.fill(s, 0);
    double[] r = rhs.clone();
    center(r);
    double[] z = new double[dim];
    double[] p = new double[dim];
    double[] hp = new double[dim];
    for (int i = 0; i < dim; i++) {
      z[i] = inv[i] * r[i];
      p[i] = z[i];
    }
    double rz = dot(r, z);
    double start = Math.sqrt(dot(r, r));
    if (start == 0) {
      return;
    }
    int limit = Math.max(200, 4 * dim);
    for (int k = 0; k < limit; k++) {
      hessianTimes(weights, p, hp, withPosition);
      double php = dot(p, hp);
      if (!(php > 0)) {
        break;
      }
      double alpha = rz / php;
      for (int i = 0; i < dim; i++) {
        s[i] += alpha * p[i];
        r[i] -= alpha * hp[i];
      }
      if (Math.sqrt(dot(r, r)) <= CG_TOLERANCE * start + 1e-300) {
        break;
      }
      double rzNext = 0;
      for (int i = 0; i < dim; i++) {
        z[i] = inv[i] * r[i];
        rzNext += r[i] * z[i];
      }
      double beta = rzNext / rz;
      rz = rzNext;
      for (int i = 0; i < dim; i++) {
        p[i] = z[i] + beta * p[i];
      }
    }
    center(s);
  }

  /** Without a prior, abilities are only defined up to a constant per group: fix it at mean 0. */
  void center(double[] p) {
    if (lambda > 0) {
      return;
    }
    double[] sum = new double[groups];
    int[] count = new int[groups];
    for (int i = 0; i < n; i++) {
      sum[group[i]] += p[i];
      count[group[i]]++;
    }
    for (int i = 0; i < n; i++) {
      p[i] -= sum[group[i]] / count[group[i]];
    }
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  /** log σ(z), stable for any z. Math.log rather than log1p: log1p is not intrinsified and dominated small fits. */
  static double logSigmoid(double z) {
    return z >= 0 ? -Math.log(1 + Math.exp(-z)) : z - Math.log(1 + Math.exp(z));
  }

  private static double dot(double[] u, double[] v) {
    double sum = 0;
    for (int i = 0; i < Math.min(u.length, v.length); i++) {
      sum += u[i] * v[i];
    }
    return sum;
  }
}
