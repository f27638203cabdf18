package org.cjassessment.outbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff with jitter for failed publish attempts.
 *
 * <p>After the n-th failed attempt (n ≥ 1) the row waits {@code min(max, base·2^(n-1)) · (1 + jitter·u)} with
 * {@code u} uniform in [-1, 1): with the default jitter 0.5 that is 0.5–1.5 times the capped delay. Jitter spreads
 * the retries of many rows that failed together (a broker outage) so they do not return as one burst.
 *
 * @param base delay after the first failure
 * @param max cap on the delay before jitter
 * @param jitter fraction in [0, 1]
 */
record Backoff(Duration base, Duration max, double jitter) {

  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), 0.5);

  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("backoff base = " + base + " must be positive (e.g. PT1S)");
    }
    if (max.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff max = " + max + " is below base = " + base + ": raise max");
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("backoff jitter = " + jitter + " is outside [0, 1]: use 0.5");
    }
  }

  /**
   * The wait after {@code failedAttempts} failures.
   *
   * @param uniform a random number in [0, 1) (a parameter so the formula is testable)
   */
  public Duration delayAfter(int failedAttempts, double uniform) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts = " + failedAttempts + " must be at least 1");
    }
    double exponent = Math.min(failedAttempts - 1, 62); // beyond 2^62 the cap has long been reached
    double capped = Math.min((double) max.toNanos(), base.toNanos() * Math.pow(2, exponent));
    double factor = 1 + jitter * (2 * uniform - 1);
    return Duration.ofNanos(Math.round(capped * factor));
  }
}
