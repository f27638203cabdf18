package org.cjassessment.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PrecisionStopTest {

  private static final PrecisionTarget RELIABILITY = new PrecisionTarget(0.8, 0.7, 0, 4);

  /** 100 essays after a complete wave with {@code judged} comparisons, scores still moving. */
  private static BatchSnapshot wave(int judged, Precision precision) {
    return new BatchSnapshot(BatchState.COMPARING, Trigger.WAVE_COMPLETE, 90, 100, 2000, judged, judged, 0,
        OptionalDouble.of(0.5), false, 0, precision);
  }

  private static Precision reliability(double r) {
    return new Precision(OptionalDouble.of(r), new double[0]);
  }

  @Test
  void stopsWithTheReasonOnceTheReliabilityTargetIsMet() {
    ContinuationPolicy policy = ContinuationPolicy.defaults().withPrecisionTarget(RELIABILITY);
    assertThat(policy.decide(wave(400, reliability(0.79)))).isEqualTo(new Decision.NextWave(50));
    assertThat(policy.decide(wave(400, reliability(0.8))))
        .isEqualTo(new Decision.Finalize(Outcome.COMPLETE_STABLE, StopReason.PRECISION_TARGET));
  }

  @Test
  void precisionIsNotTrustedBeforeTheMinimumAppearances() {
    ContinuationPolicy policy = ContinuationPolicy.defaults().withPrecisionTarget(RELIABILITY);
    // 150 comparisons over 100 essays = 3 appearances each, below the minimum of 4.
    assertThat(policy.decide(wave(150, reliability(0.95)))).isInstanceOf(Decision.NextWave.class);
    assertThat(policy.decide(wave(200, reliability(0.95)))).isInstanceOf(Decision.Finalize.class);
  }

  @Test
  void aMissingReliabilityNeverStops() {
    ContinuationPolicy policy = ContinuationPolicy.defaults().withPrecisionTarget(RELIABILITY);
    assertThat(policy.decide(wave(400, Precision.none()))).isInstanceOf(Decision.NextWave.class);
  }

  @Test
  void theGradeShareTargetCountsStudentsWhoseMostLikelyGradeIsProbableEnough() {
    ContinuationPolicy policy = ContinuationPolicy.defaults()
        .withPrecisionTarget(new PrecisionTarget(0, 0.7, 0.75, 4));
    double[] three = {0.9, 0.71, 0.7, 0.5}; // 3 of 4 at or above 0.7
    double[] two = {0.9, 0.69, 0.7, 0.5};
    assertThat(policy.decide(wave(400, new Precision(OptionalDouble.empty(), three))))
        .isEqualTo(new Decision.Finalize(Outcome.COMPLETE_STABLE, StopReason.PRECISION_TARGET));
    assertThat(policy.decide(wave(400, new Precision(OptionalDouble.empty(), two))))
        .isInstanceOf(Decision.NextWave.class);
    // Without grades, a grade-only target cannot stop a batch.
    assertThat(policy.decide(wave(400, reliability(0.99)))).isInstanceOf(Decision.NextWave.class);
  }

  @Test
  void bothTargetsMustHoldWhenBothAreSet() {
    ContinuationPolicy policy = ContinuationPolicy.defaults()
        .withPrecisionTarget(new PrecisionTarget(0.8, 0.7, 0.5, 4));
    assertThat(policy.decide(wave(400, new Precision(OptionalDouble.of(0.85), new double[] {0.2, 0.3}))))
        .isInstanceOf(Decision.NextWave.class);
    assertThat(policy.decide(wave(400, new Precision(OptionalDouble.of(0.85), new double[] {0.8, 0.3}))))
        .isInstanceOf(Decision.Finalize.class);
  }

  @Test
  void otherStopsCarryTheirOwnReason() {
    ContinuationPolicy policy = ContinuationPolicy.defaults();
    BatchSnapshot spent = new BatchSnapshot(BatchState.COMPARING, Trigger.WAVE_COMPLETE, 10, 10, 40, 40, 40, 0,
        OptionalDouble.of(0.5), false, 0);
    assertThat(policy.decide(spent)).isEqualTo(new Decision.Finalize(Outcome.COMPLETE_BUDGET_EXHAUSTED,
        StopReason.BUDGET_SPENT));
    BatchSnapshot stable = new BatchSnapshot(BatchState.COMPARING, Trigger.WAVE_COMPLETE, 10, 10, 400, 40, 40, 0,
        OptionalDouble.of(0.01), false, 0);
    assertThat(policy.decide(stable)).isEqualTo(new Decision.Finalize(Outcome.COMPLETE_STABLE,
        StopReason.SCORES_STABLE));
  }

  @Test
  void badTargetsAreRefusedWithTheValue() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PrecisionTarget(1.2, 0.7, 0, 4))
        .hasMessageContaining("1.2");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PrecisionTarget(0.8, 0, 0, 4))
        .hasMessageContaining("grade confidence");
  }
}
