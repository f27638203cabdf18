package org.cjassessment.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BackoffProperties {

  @Property
  void delay_is_the_capped_doubling_times_a_jitter_factor(
      @ForAll @IntRange(min = 1, max = 2000) int attempts,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double uniform,
      @ForAll @LongRange(min = 1, max = 10_000) long baseMillis,
      @ForAll @DoubleRange(min = 0, max = 1) double jitter) {
    Backoff backoff = new Backoff(Duration.ofMillis(baseMillis), Duration.ofMillis(baseMillis * 300), jitter);
    double nominal = Math.min(baseMillis * 300.0, baseMillis * Math.pow(2, Math.min(attempts - 1, 62)));
    double millis = backoff.delayAfter(attempts, uniform).toNanos() / 1e6;
    assertThat(millis).isBetween(nominal * (1 - jitter) - 1e-3, nominal * (1 + jitter) + 1e-3);
  }

  @Property
  void without_jitter_the_delay_never_shrinks(@ForAll @IntRange(min = 1, max = 100) int attempts) {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), 0);
    assertThat(backoff.delayAfter(attempts + 1, 0.3)).isGreaterThanOrEqualTo(backoff.delayAfter(attempts, 0.7));
  }

  @Test
  void defaults_follow_one_two_four_seconds_up_to_five_minutes() {
    Backoff backoff = Backoff.DEFAULT;
    assertThat(backoff.delayAfter(1, 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delayAfter(3, 0.5)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delayAfter(20, 0.5)).isEqualTo(Duration.ofMinutes(5));
    assertThat(backoff.delayAfter(1, 0.0)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void invalid_settings_name_the_value_and_the_fix() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.5))
        .hasMessageContaining("max = PT1S is below base = PT2S");
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0.5))
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5))
        .hasMessageContaining("jitter = 1.5");
  }
}
