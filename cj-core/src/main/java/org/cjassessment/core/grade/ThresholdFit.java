package org.cjassessment.core.grade;

import java.util.Arrays;

/**
 * Maximum a-posteriori fit of the ordered grade boundaries (thresholds) to the anchors: a cumulative-probit
 * ("ordered probit") model with known per-anchor noise, plus a weak Rayleigh prior on the width of every grade that
 * has two finite ends. Package-private; {@link GradeProjector} is the entry point and {@code docs/GRADES.md} the
 * explanation.
 *
 * <p>Categories are 0…m−1 (lowest first); thresholds τ_0 < … < τ_{m−2}; category c is (τ_{c−1}, τ_c] with
 * τ_{−1} = −∞ and τ_{m−1} = +∞. An anchor with ability x, total noise t and category c contributes
 * {@code log(Φ((τ_c − x)/t) − Φ((τ_{c−1} − x)/t))}; a grade of width w and reference width w⁰ contributes the
 * Rayleigh log-density {@code log w − w²/(2·w⁰²)} (mode w⁰). Both terms are concave in τ (log-concavity of the
 * normal; log of a linear function; a concave quadratic), the prior is strictly concave in every width and the
 * anchors fix the location, so the optimum exists and is unique. The {@code log w} term vanishes nowhere but at
 * w = 0, so it keeps the thresholds strictly ordered; the quadratic term keeps Newton's quadratic model accurate far
 * from the optimum (a Gamma prior, tried first, has a linear tail whose tiny curvature made Newton overshoot).
 * Newton's method with a backtracking line search finds the optimum from a start built by isotonic regression of
 * the per-grade anchor centres.
 */
final class ThresholdFit {

  private static final int MAX_ITERATIONS = 200;
  private static final int MAX_HALVINGS = 60;
  private static final double START_MIN_GAP_FRACTION = 0.05;

  /** Fitted thresholds, how the fit went, and the problem (for its curvature at the optimum). */
  record Result(double[] thresholds, double referenceWidth, int iterations, boolean converged, ThresholdFit problem) {}

  private final int m;
  private final int[] category;
  private final double[] ability;
  private final double[] noise;
  private final double[] precision; // 1/w⁰² per category; used for interior categories 1..m-2

  ThresholdFit(int m, int[] category, double[] ability, double[] noise, double[] precision) {
    this.m = m;
    this.category = category;
    this.ability = ability;
    this.noise = noise;
    this.precision = precision;
  }

  /**
   * Fits m−1 thresholds.
   *
   * @param m number of categories (≥ 2)
   * @param category each anchor's category; at least two distinct values
   * @param ability each anchor's ability
   * @param noise each anchor's total noise √(σ² + SE²), > 0
   * @param relativeWidth per category, the relative reference width (1 everywhere = equal widths)
   * @param minReferenceWidth floor for the reference width of one grade
   */
  static Result fit(
      int m, int[] category, double[] ability, double[] noise, double[] relativeWidth, double minReferenceWidth) {
    int n = category.length;
    // 1. per-category precision-weighted centres
    double[] weight = new double[m];
    double[] weighted = new double[m];
    for (int i = 0; i < n; i++) {
      double w = 1 / (noise[i] * noise[i]);
      weight[category[i]] += w;
      weighted[category[i]] += w * ability[i];
    }
    int observedCount = 0;
    for (int c = 0; c < m; c++) {
      if (weight[c] > 0) {
        observedCount++;
      }
    }
    int[] observed = new int[observedCount];
    double[] centre = new double[observedCount];
    double[] centreWeight = new double[observedCount];
    for (int c = 0, j = 0; c < m; c++) {
      if (weight[c] > 0) {
        observed[j] = c;
        centre[j] = weighted[c] / weight[c];
        centreWeight[j] = weight[c];
        j++;
      }
    }
    // 2. isotonic (non-decreasing) centres in grade order
    double[] iso = Isotonic.nonDecreasing(centre, centreWeight);

    // 3. reference width: average centre spacing per grade step over the anchored range, floored
    int lo = observed[0];
    int hi = observed[observedCount - 1];
    double steps = 0;
    for (int c = lo; c < hi; c++) {
      steps += 0.5 * (relativeWidth[c] + relativeWidth[c + 1]);
    }
    double base = Math.max((iso[observedCount - 1] - iso[0]) / steps, minReferenceWidth);
    double[] reference = new double[m];
    double[] precision = new double[m];
    for (int c = 0; c < m; c++) {
      reference[c] = base * relativeWidth[c];
      precision[c] = 1 / (reference[c] * reference[c]);
    }

    // 4. start: a position for every category (interpolated/extrapolated by reference widths), then midpoints
    double[] position = new double[m];
    double[] cumulative = new double[m]; // cumulative[c] = distance from centre of category 0 to centre of c
    for (int c = 1; c < m; c++) {
      cumulative[c] = cumulative[c - 1] + 0.5 * (reference[c - 1] + reference[c]);
    }
    for (int c = 0; c < m; c++) {
      int below = -1;
      int above = -1;
      for (int j = 0; j < observedCount; j++) {
        if (observed[j] <= c) {
          below = j;
        }
        if (observed[j] >= c && above < 0) {
          above = j;
        }
      }
      if (below >= 0 && above >= 0) {
        if (below == above) {
          position[c] = iso[below];
        } else {
          double span = cumulative[observed[above]] - cumulative[observed[below]];
          double frac = (cumulative[c] - cumulative[observed[below]]) / span;
          position[c] = iso[below] + frac * (iso[above] - iso[below]);
        }
      } else if (below < 0) {
        position[c] = iso[0] - (cumulative[observed[0]] - cumulative[c]);
      } else {
        position[c] = iso[observedCount - 1] + (cumulative[c] - cumulative[observed[observedCount - 1]]);
      }
    }
    double[] start = new double[m - 1];
    for (int c = 0; c < m - 1; c++) {
      start[c] = 0.5 * (position[c] + position[c + 1]);
    }
    double meanBefore = mean(start);
    double gap = START_MIN_GAP_FRACTION * base;
    for (int c = 1; c < m - 1; c++) {
      start[c] = Math.max(start[c], start[c - 1] + gap);
    }
    double shift = meanBefore - mean(start);
    for (int c = 0; c < m - 1; c++) {
      start[c] += shift;
    }
    if (!isStrictlyOrdered(start)) { // only conceivable through rounding at extreme magnitudes
      for (int c = 1; c < m - 1; c++) {
        start[c] = Math.max(start[c], Math.nextUp(start[c - 1]));
      }
    }

    // 5. Newton
    ThresholdFit problem = new ThresholdFit(m, category, ability, noise, precision);
    return problem.maximise(start, base);
  }

  /**
   * Newton's method in τ with a backtracking line search that never leaves the ordered region. The objective is
   * strictly concave there, so −H is positive definite and every Newton direction is an ascent direction; the
   * Rayleigh prior's quadratic tail keeps the quadratic model good far from the optimum, and its log term keeps the
   * iterates ordered.
   */
  private Result maximise(double[] start, double base) {
    int k = m - 1;
    double[] tau = start.clone();
    double f = objective(tau);
    if (!Double.isFinite(f)) {
      return new Result(start, base, 0, false, this);
    }
    double[] grad = new double[k];
    double[][] hess = new double[k][k];
    int iteration = 0;
    boolean converged = false;
    while (iteration < MAX_ITERATIONS) {
      iteration++;
      if (!gradientAndHessian(tau, grad, hess)) {
        break;
      }
      double[] step = newtonStep(grad, hess);
      if (step == null) {
        break;
      }
      double decrement = dot(grad, step);
      if (!(decrement > 1e-12 * (1 + Math.abs(f)))) {
        converged = true;
        break;
      }
      double alpha = 1;
      boolean accepted = false;
      double[] trial = new double[k];
      for (int h = 0; h < MAX_HALVINGS; h++) {
        for (int c = 0; c < k; c++) {
          trial[c] = tau[c] + alpha * step[c];
        }
        double ft = objective(trial);
        if (ft > f && ft >= f + 1e-4 * alpha * decrement) { // strict: a step lost in rounding is no progress
          tau = trial.clone();
          f = ft;
          accepted = true;
          break;
        }
        alpha *= 0.5;
      }
      if (!accepted) {
        // no ascent possible at double precision: at the optimum up to rounding
        converged = decrement <= 1e-6 * (1 + Math.abs(f));
        break;
      }
    }
    return new Result(tau, base, iteration, converged, this);
  }

  /** Solves −H·step = g by Cholesky, adding a small ridge only if rounding made −H lose definiteness. */
  private static double[] newtonStep(double[] g, double[][] h) {
    int k = g.length;
    double scale = 0;
    for (int i = 0; i < k; i++) {
      scale = Math.max(scale, Math.abs(h[i][i]));
    }
    double ridge = 0;
    for (int attempt = 0; attempt < 40; attempt++) {
      double[][] a = new double[k][k];
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          a[i][j] = -h[i][j];
        }
        a[i][i] += ridge;
      }
      double[] x = SmallCholesky.solve(a, g);
      if (x != null) {
        return x;
      }
      ridge = ridge == 0 ? Math.max(1e-14 * scale, 1e-300) : ridge * 10;
    }
    return null;
  }

  /** The penalised log-likelihood; −∞ outside the ordered region (or for null). */
  double objective(double[] tau) {
    if (tau == null || !isStrictlyOrdered(tau)) {
      return Double.NEGATIVE_INFINITY;
    }
    double f = 0;
    for (int i = 0; i < category.length; i++) {
      int c = category[i];
      double t = noise[i];
      double upper = c < m - 1 ? (tau[c] - ability[i]) / t : Double.POSITIVE_INFINITY;
      double lower = c > 0 ? (tau[c - 1] - ability[i]) / t : Double.NEGATIVE_INFINITY;
      f += Normal.logProbBetween(lower, upper);
    }
    for (int c = 1; c < m - 1; c++) {
      double w = tau[c] - tau[c - 1];
      f += Math.log(w) - 0.5 * w * w * precision[c];
    }
    return Double.isNaN(f) ? Double.NEGATIVE_INFINITY : f;
  }

  /** Fills the gradient and Hessian; false if any term is not finite (the caller then stops where it is). */
  boolean gradientAndHessian(double[] tau, double[] g, double[][] h) {
    Arrays.fill(g, 0);
    for (double[] row : h) {
      Arrays.fill(row, 0);
    }
    for (int i = 0; i < category.length; i++) {
      int c = category[i];
      double t = noise[i];
      boolean hasUpper = c < m - 1;
      boolean hasLower = c > 0;
      double u = hasUpper ? (tau[c] - ability[i]) / t : Double.POSITIVE_INFINITY;
      double l = hasLower ? (tau[c - 1] - ability[i]) / t : Double.NEGATIVE_INFINITY;
      double logD = Normal.logProbBetween(l, u);
      double a = hasUpper ? Math.exp(Normal.logPdf(u) - logD) : 0; // φ(u)/D
      double b = hasLower ? Math.exp(Normal.logPdf(l) - logD) : 0; // φ(l)/D
      if (!Double.isFinite(a) || !Double.isFinite(b)) {
        return false;
      }
      double t2 = t * t;
      if (hasUpper) {
        g[c] += a / t;
        h[c][c] += (-u * a - a * a) / t2;
      }
      if (hasLower) {
        g[c - 1] -= b / t;
        h[c - 1][c - 1] += (l * b - b * b) / t2;
      }
      if (hasUpper && hasLower) {
        h[c][c - 1] += a * b / t2;
        h[c - 1][c] += a * b / t2;
      }
    }
    for (int c = 1; c < m - 1; c++) {
      double w = tau[c] - tau[c - 1];
      double dw = 1 / w - w * precision[c];
      double d2w = -1 / (w * w) - precision[c];
      g[c] += dw;
      g[c - 1] -= dw;
      h[c][c] += d2w;
      h[c - 1][c - 1] += d2w;
      h[c][c - 1] -= d2w;
      h[c - 1][c] -= d2w;
    }
    for (int r = 0; r < g.length; r++) {
      if (!Double.isFinite(g[r])) {
        return false;
      }
      for (int c = 0; c < g.length; c++) {
        if (!Double.isFinite(h[r][c])) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean isStrictlyOrdered(double[] tau) {
    for (int c = 0; c < tau.length; c++) {
      if (!Double.isFinite(tau[c]) || (c > 0 && !(tau[c] > tau[c - 1]))) {
        return false;
      }
    }
    return true;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double mean(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return s / a.length;
  }

  /** Weighted pool-adjacent-violators. */
  static final class Isotonic {
    private Isotonic() {}

    static double[] nonDecreasing(double[] y, double[] w) {
      int n = y.length;
      double[] blockValue = new double[n];
      double[] blockWeight = new double[n];
      int[] blockSize = new int[n];
      int blocks = 0;
      for (int i = 0; i < n; i++) {
        blockValue[blocks] = y[i];
        blockWeight[blocks] = w[i];
        blockSize[blocks] = 1;
        blocks++;
        while (blocks > 1 && blockValue[blocks - 2] > blockValue[blocks - 1]) {
          double wt = blockWeight[blocks - 2] + blockWeight[blocks - 1];
          blockValue[blocks - 2] =
              (blockWeight[blocks - 2] * blockValue[blocks - 2] + blockWeight[blocks - 1] * blockValue[blocks - 1])
                  / wt;
          blockWeight[blocks - 2] = wt;
          blockSize[blocks - 2] += blockSize[blocks - 1];
          blocks--;
        }
      }
      double[] out = new double[n];
      for (int b = 0, i = 0; b < blocks; b++) {
        for (int s = 0; s < blockSize[b]; s++) {
          out[i++] = blockValue[b];
        }
      }
      return out;
    }
  }
}
