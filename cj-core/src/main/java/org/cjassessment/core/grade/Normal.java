package org.cjassessment.core.grade;

/**
 * The standard normal distribution, accurate in both tails and computed in log space where probabilities would
 * underflow. Package-private: the grade model needs {@code log(Φ(u) − Φ(l))} for arguments anywhere on the real
 * line without NaN, which {@link Math} does not offer.
 *
 * <p>Method (no copied coefficient tables): for |z| ≤ 3 the error function comes from its everywhere-convergent
 * series with positive terms, {@code erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))}; for |z| > 3 the upper
 * tail is {@code Q(z) = φ(z) · R(z)} with Mills' ratio R from its continued fraction
 * {@code R(z) = 1/(z + 1/(z + 2/(z + 3/(z + …))))}, evaluated by the modified Lentz method. Relative error is below
 * about 1e-13 everywhere (checked against arbitrary-precision values in {@code NormalTest}).
 */
public final class Normal {

  private static final double SERIES_LIMIT_Z = 3.0;
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
  private static final double SQRT_HALF = Math.sqrt(0.5);
  private static final double LN2 = Math.log(2);

  private Normal() {}

  /** log φ(z), the log density. Finite for every finite z of magnitude below ~1e154. */
  static double logPdf(double z) {
    return -0.5 * z * z - LOG_SQRT_2PI;
  }

  /** Φ(z) = P(Z ≤ z). */
  public static double cdf(double z) {
    return upperTail(-z);
  }

  /** log Φ(z). */
  static double logCdf(double z) {
    return logUpperTail(-z);
  }

  /** Q(z) = P(Z > z) = 1 − Φ(z), without cancellation for large z. */
  static double upperTail(double z) {
    if (z == Double.POSITIVE_INFINITY) {
      return 0;
    }
    if (z == Double.NEGATIVE_INFINITY) {
      return 1;
    }
    if (z > SERIES_LIMIT_Z) {
      return Math.exp(logPdf(z)) * millsRatio(z);
    }
    if (z < -SERIES_LIMIT_Z) {
      return 1 - Math.exp(logPdf(z)) * millsRatio(-z);
    }
    double erf = erfSeries(Math.abs(z) * SQRT_HALF);
    return z >= 0 ? 0.5 * (1 - erf) : 0.5 * (1 + erf);
  }

  /** log Q(z). Finite for every finite z. */
  static double logUpperTail(double z) {
    if (z == Double.POSITIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    if (z == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    if (z > SERIES_LIMIT_Z) {
      return logPdf(z) + Math.log(millsRatio(z));
    }
    if (z < -SERIES_LIMIT_Z) {
      return Math.log1p(-Math.exp(logPdf(z)) * millsRatio(-z));
    }
    return Math.log(upperTail(z));
  }

  /**
   * log(Φ(hi) − Φ(lo)) for lo ≤ hi; lo may be −∞ and hi +∞. Returns −∞ when the two are equal (or so close that
   * the difference is below double precision), never NaN.
   */
  static double logProbBetween(double lo, double hi) {
    if (!(lo < hi)) {
      return Double.NEGATIVE_INFINITY;
    }
    if (lo == Double.NEGATIVE_INFINITY) {
      return logCdf(hi);
    }
    if (hi == Double.POSITIVE_INFINITY) {
      return logUpperTail(lo);
    }
    if (hi <= 0) { // both in the lower tail: Φ(hi)·(1 − Φ(lo)/Φ(hi))
      double a = logCdf(hi);
      return a + log1mExp(logCdf(lo) - a);
    }
    if (lo >= 0) { // both in the upper tail: Q(lo)·(1 − Q(hi)/Q(lo))
      double a = logUpperTail(lo);
      return a + log1mExp(logUpperTail(hi) - a);
    }
    // lo < 0 < hi: the two halves add, no cancellation
    return Math.log(0.5 * (erfPositive(hi * SQRT_HALF) + erfPositive(-lo * SQRT_HALF)));
  }

  /** The z with Φ(z) = p, for 0 < p < 1, by bisection (only used on a handful of prior quantiles). */
  public static double quantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("quantile needs 0 < p < 1, got " + p);
    }
    double lo = -40;
    double hi = 40;
    for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
      double mid = 0.5 * (lo + hi);
      if (cdf(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** log(1 − e^d) for d ≤ 0; −∞ at d ≥ 0 (a rounding artefact of a zero-width interval). */
  private static double log1mExp(double d) {
    if (!(d < 0)) {
      return Double.NEGATIVE_INFINITY;
    }
    return d > -LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d));
  }

  /** erf(x) for x ≥ 0. */
  private static double erfPositive(double x) {
    if (x <= SERIES_LIMIT_Z * SQRT_HALF) {
      return erfSeries(x);
    }
    double z = x / SQRT_HALF;
    return 1 - 2 * Math.exp(logPdf(z)) * millsRatio(z);
  }

  /** erf(x) for 0 ≤ x ≤ 3/√2 from the series with positive terms. */
  private static double erfSeries(double x) {
    if (x == 0) {
      return 0;
    }
    double twoXSquared = 2 * x * x;
    double term = x;
    double sum = x;
    for (int n = 1; n < 500; n++) {
      term *= twoXSquared / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) {
        break;
      }
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
  }

  /** Mills' ratio Q(z)/φ(z) for z > 0 (used for z > 3), continued fraction by the modified Lentz method. */
  private static double millsRatio(double z) {
    final double tiny = 1e-300;
    double f = tiny;
    double c = f;
    double d = 0;
    for (int n = 1; n < 10_000; n++) {
      double a = n == 1 ? 1 : n - 1;
      d = z + a * d;
      if (d == 0) {
        d = tiny;
      }
      c = z + a / c;
      if (c == 0) {
        c = tiny;
      }
      d = 1 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return f;
  }
}
