package org.cjassessment.embedded;

import java.time.Duration;
import java.util.Locale;

/** Human-readable durations for startup reports. */
final class Durations {

  private Durations() {}

  static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** "1.23 s": seconds with two decimals, the resolution that matters for startup times. */
  static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.2f s", duration.toMillis() / 1000.0);
  }
}
