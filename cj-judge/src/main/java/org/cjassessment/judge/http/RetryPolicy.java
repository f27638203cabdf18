package org.cjassessment.judge.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long to retry a transient provider failure (429, 5xx, 529, timeout, lost connection):
 * exponential back-off from {@code base}, doubled per attempt up to {@code cap}, with "equal jitter" (half fixed,
 * half random) so that a burst of failed calls does not retry in lock-step. A server's own wait (retry-after, reset
 * headers) replaces the back-off, bounded by {@code maxServerWait}.
 *
 * @param maxAttempts attempts in all, the first included
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap, Duration maxServerWait) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    if (base.isNegative() || cap.compareTo(base) < 0 || maxServerWait.isNegative()) {
      throw new IllegalArgumentException("need 0 <= base <= cap and maxServerWait >= 0");
    }
  }

  /** 5 attempts, 1 s doubling to 30 s; a server may ask for up to 2 minutes. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2));
  }

  public RetryPolicy withMaxAttempts(int value) {
    return new RetryPolicy(value, base, cap, maxServerWait);
  }

  /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed ones (1-based). */
  public Duration backoff(int attempt) {
    long exp = base.toMillis() << Math.min(20, attempt - 1);
    long full = Math.min(cap.toMillis(), exp < 0 ? cap.toMillis() : exp);
    long half = full / 2;
    return Duration.ofMillis(half + (full - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(full - half + 1)));
  }

  /** A server's requested wait, bounded. */
  public Duration serverWait(Duration requested) {
    return requested.compareTo(maxServerWait) > 0 ? maxServerWait : requested.isNegative() ? Duration.ZERO
        : requested;
  }
}
