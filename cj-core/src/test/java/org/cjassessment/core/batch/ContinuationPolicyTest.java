package org.cjassessment.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ContinuationPolicyTest {

  private final ContinuationPolicy policy = ContinuationPolicy.defaults();

  private static BatchSnapshot snapshot(BatchState state, Trigger trigger, int students, int budget, int submitted,
      int judged, int errored, OptionalDouble change, boolean stalled, int redispatches) {
    return new BatchSnapshot(state, trigger, students, students, budget, submitted, judged, errored, change, stalled,
        redispatches);
  }

  @Test
  void terminalStatesAreAbsorbingForEveryTrigger() {
    for (BatchState terminal : new BatchState[] {BatchState.COMPLETED, BatchState.FAILED}) {
      for (Trigger t : Trigger.values()) {
        assertThat(policy.decide(snapshot(terminal, t, 10, 20, 20, 20, 0, OptionalDouble.of(0), true, 0)))
            .isEqualTo(new Decision.AlreadyTerminal(terminal));
      }
      assertThat(terminal.next()).isEmpty();
    }
  }

  @Test
  void fewerThanTwoStudentsCompleteAsInsufficient() {
    assertThat(policy.decide(snapshot(BatchState.RECEIVED, Trigger.INTAKE, 1, 20, 0, 0, 0, OptionalDouble.empty(),
        false, 0))).isEqualTo(new Decision.Finalize(Outcome.COMPLETE_INSUFFICIENT_ESSAYS));
  }

  @Test
  void theFirstWavePairsEveryEssayOnceWithinBudget() {
    assertThat(policy.decide(snapshot(BatchState.RECEIVED, Trigger.INTAKE, 10, 200, 0, 0, 0, OptionalDouble.empty(),
        false, 0))).isEqualTo(new Decision.NextWave(5));
    assertThat(policy.decide(snapshot(BatchState.COMPARING, Trigger.WAVE_COMPLETE, 10, 12, 10, 10, 0,
        OptionalDouble.of(1), false, 0))).isEqualTo(new Decision.NextWave(2));
  }

  @Test
  void pendingComparisonsMeanWaitUnlessStalled() {
    BatchSnapshot pending = snapshot(BatchState.COMPARING, Trigger.MONITOR_SWEEP, 10, 20, 10, 9, 0,
        OptionalDouble.empty(), false, 0);
    assertThat(policy.decide(pending)).isInstanceOf(Decision.Wait.class);
  }

  @Test
  void aStalledBatchIsRecoveredAtEightyPercentRedispatchedOnceThenFailedBelow() {
    assertThat(policy.decide(snapshot(BatchState.COMPARING, Trigger.STUCK_RECOVERY, 10, 20, 20, 16, 0,
        OptionalDouble.empty(), true, 0))).isEqualTo(new Decision.Finalize(Outcome.COMPLETE_FORCED_RECOVERY));
    assertThat(policy.decide(snapshot(BatchState.COMPARING, Trigger.STUCK_RECOVERY, 10, 20, 20, 15, 0,
        OptionalDouble.empty(), true, 0))).isEqualTo(new Decision.Redispatch());
    assertThat(policy.decide(snapshot(BatchState.COMPARING, Trigger.STUCK_RECOVERY, 10, 20, 20, 15, 0,
        OptionalDouble.empty(), true, 1))).isInstanceOf(Decision.Fail.class)
        .extracting(d -> ((Decision.Fail) d).reason()).isEqualTo(FailureReason.STUCK_INSUFFICIENT_PROGRESS);
  }

  @Test
  void aCompleteWaveFinalizesWhenStableOrOutOfBudgetAndFailsOnLowSuccess() {
    assertThat(policy.decide(snapshot(BatchState.COMPARING, Trigger.WAVE_COMPLETE, 10, 100, 20, 20, 0,
        OptionalDouble.of(0.01), false, 0))).isEqualTo(new Decision.Finalize(Outcome.COMPLETE_STABLE));
    assertThat(policy.decide(snapshot(BatchState.COMPARING, Trigger.WAVE_COMPLETE, 10, 20, 20, 20, 0,
        OptionalDouble.of(0.5), false, 0))).isEqualTo(new Decision.Finalize(Outcome.COMPLETE_BUDGET_EXHAUSTED));
    assertThat(policy.decide(snapshot(BatchState.COMPARING, Trigger.MONITOR_SWEEP, 10, 20, 20, 10, 10,
        OptionalDouble.of(0.5), false, 0))).isInstanceOf(Decision.Fail.class);
  }
}
