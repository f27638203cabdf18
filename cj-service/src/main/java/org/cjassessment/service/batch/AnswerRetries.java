package org.cjassessment.service.batch;

import java.time.Duration;

/**
 * How often a pair whose answer was a provider error is asked again, and how long to wait first: the wait doubles
 * from {@code firstBackoff} up to {@code maxBackoff}. The re-sent request leaves with the next advance of its batch
 * after the wait (the monitor sweep advances batches with retries due), so the effective wait is at least one
 * monitor interval. Only a pair that still fails after {@code maxRetries} retries is an error of the batch.
 */
public record AnswerRetries(int maxRetries, Duration firstBackoff, Duration maxBackoff) {

  public AnswerRetries {
    if (maxRetries < 0 || firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException("answer retries: maxRetries " + maxRetries + " must be >= 0 and "
          + firstBackoff + " <= " + maxBackoff);
    }
  }

  public static AnswerRetries defaults() {
    return new AnswerRetries(3, Duration.ofSeconds(30), Duration.ofMinutes(10));
  }
}
