package org.cjassessment.embedded;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for servers to become ready. Production code, so no Awaitility; the interval is short to keep startup fast. */
final class Polling {

  private static final Duration INTERVAL = Duration.ofMillis(50);

  private Polling() {}

  /** Calls {@code condition} until it returns true; exceptions count as "not yet" and the last one is reported. */
  static void await(String what, Duration timeout, Callable<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastFailure = null;
    while (true) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      } catch (Exception e) {
        lastFailure = e;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up after " + timeout.toSeconds() + " s waiting for " + what, lastFailure);
      }
      sleep(what);
    }
  }

  private static void sleep(String what) {
    try {
      Thread.sleep(INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
    }
  }
}
