package org.cjassessment.core.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.cjassessment.core.batch.ContinuationPolicy;
import org.cjassessment.core.batch.StopReason;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.core.pairs.SelectorKind;
import org.junit.jupiter.api.Test;

class SimulationRunTest {

  private static SimulationSettings settings(double agreement, SelectorKind kind, long seed) {
    return new SimulationSettings(40, 6, agreement, -0.2, kind, 0, 20, ContinuationPolicy.defaults(),
        GradeScale.SWEDISH_8_ANCHOR, 3.0, 0.9, 5, seed);
  }

  @Test
  void aRunIsAPureFunctionOfItsSettings() {
    SimulationSettings s = settings(0.83, SelectorKind.ADAPTIVE, 3);
    assertThat(new SimulationRun(s).run()).isEqualTo(new SimulationRun(s).run());
  }

  @Test
  void aGoodJudgeIsRecoveredAndTheFiguresMeanWhatTheySay() {
    RunResult r = new SimulationRun(settings(0.9, SelectorKind.RANDOM, 5)).run();
    assertThat(r.appearancesToTarget()).isPresent();
    // Appearances are comparisons × 2 / essays in the net, so they move in steps of one wave (20 pairs over 46).
    double step = 2.0 * 23 / 46;
    assertThat(r.appearancesAtStop() / step).isCloseTo(Math.rint(r.appearancesAtStop() / step), within(1e-9));
    assertThat(r.trueReliability()).isBetween(0.6, 1.0);
    assertThat(r.leading()).isEqualTo(r.ssr()); // random pairing leads with SSR
    assertThat(r.gradeWithinOne()).isGreaterThanOrEqualTo(r.gradeExact());
  }

  @Test
  void coinTossesNeverReachTheSpearmanTargetAndHaveNoTrueReliability() {
    RunResult r = new SimulationRun(settings(0.5, SelectorKind.COVERAGE, 9)).run();
    assertThat(r.appearancesToTarget()).isEmpty();
    assertThat(r.trueReliability()).isLessThan(0.3);
    assertThat(r.stopReason()).isEqualTo(StopReason.BUDGET_SPENT);
  }

  @Test
  void percentilesInterpolateAndUnreachedSeedsCountAsInfinite() {
    double[] v = {1, 2, 3, 4};
    assertThat(SelectorSummary.percentile(v, 0.5)).isEqualTo(2.5);
    assertThat(SelectorSummary.percentile(v, 0.1)).isCloseTo(1.3, within(1e-12));
    double[] some = {1, 2, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    assertThat(SelectorSummary.percentile(some, 0.5)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(SelectorSummary.percentile(some, 0.1)).isCloseTo(1.3, within(1e-12));
    assertThat(List.of(SelectorSummary.percentile(new double[0], 0.5))).containsExactly(Double.NaN);
  }
}
