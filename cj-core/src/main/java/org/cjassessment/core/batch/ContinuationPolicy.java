package org.cjassessment.core.batch;

/**
 * The pure continuation decision: given a batch snapshot, what happens next. No clock, no I/O — the caller reads
 * the snapshot under the batch row lock and applies the decision in the same transaction.
 *
 * @param stabilityThreshold a completed wave is stable when no score moved more than this (logits)
 * @param minJudgedForStability stability is only trusted after this many judged comparisons
 * @param minSuccessRate below this share of successful answers, a batch that runs out of budget fails
 * @param forcedRecoveryShare a stalled batch with at least this share of its budget judged is scored anyway
 * @param maxRedispatches a stalled batch below the forced-recovery share is re-dispatched this many times, then
 *     failed
 * @param waveSize comparisons per wave, at most (0 = one per two essays)
 * @param precisionTarget stop early once the scores are precise enough (see {@link PrecisionTarget})
 */
public record ContinuationPolicy(
    double stabilityThreshold,
    int minJudgedForStability,
    double minSuccessRate,
    double forcedRecoveryShare,
    int maxRedispatches,
    int waveSize,
    PrecisionTarget precisionTarget) {

  /** A policy without a precision stop. */
  public ContinuationPolicy(double stabilityThreshold, int minJudgedForStability, double minSuccessRate,
      double forcedRecoveryShare, int maxRedispatches, int waveSize) {
    this(stabilityThreshold, minJudgedForStability, minSuccessRate, forcedRecoveryShare, maxRedispatches, waveSize,
        PrecisionTarget.off());
  }

  public static ContinuationPolicy defaults() {
    return new ContinuationPolicy(0.025, 12, 0.8, 0.8, 1, 0, PrecisionTarget.defaults());
  }

  public ContinuationPolicy withPrecisionTarget(PrecisionTarget target) {
    return new ContinuationPolicy(stabilityThreshold, minJudgedForStability, minSuccessRate, forcedRecoveryShare,
        maxRedispatches, waveSize, target);
  }

  public Decision decide(BatchSnapshot s) {
    if (s.state().isTerminal()) {
      return new Decision.AlreadyTerminal(s.state());
    }
    if (s.state() == BatchState.RECEIVED) {
      if (s.students() < 2) {
        return new Decision.Finalize(Outcome.COMPLETE_INSUFFICIENT_ESSAYS);
      }
      return nextWave(s);
    }
    if (s.trigger() == Trigger.OPERATOR && s.pending() > 0) {
      // An operator finishing a batch early gets the forced-recovery rules without waiting for the timeout.
      return stalled(s);
    }
    if (s.pending() > 0) {
      return s.trigger() == Trigger.STUCK_RECOVERY && s.stalled() ? stalled(s)
          : new Decision.Wait(s.pending() + " comparisons outstanding");
    }
    // The wave is complete: every requested comparison has an answer.
    boolean outOfBudget = s.remainingBudget() == 0;
    if (outOfBudget && s.answered() > 0 && successRate(s) < minSuccessRate) {
      return new Decision.Fail(FailureReason.LOW_SUCCESS_RATE, String.format(java.util.Locale.ROOT,
          "%d of %d answers were errors (success rate %.2f < %.2f)", s.errored(), s.answered(), successRate(s),
          minSuccessRate));
    }
    if (successRate(s) >= minSuccessRate && precisionTarget.met(s)) {
      return new Decision.Finalize(Outcome.COMPLETE_STABLE, StopReason.PRECISION_TARGET);
    }
    if (s.judged() >= minJudgedForStability && successRate(s) >= minSuccessRate && s.scoreChange().isPresent()
        && s.scoreChange().getAsDouble() <= stabilityThreshold) {
      return new Decision.Finalize(Outcome.COMPLETE_STABLE);
    }
    if (outOfBudget) {
      return new Decision.Finalize(Outcome.COMPLETE_BUDGET_EXHAUSTED);
    }
    return nextWave(s);
  }

  private Decision stalled(BatchSnapshot s) {
    if (s.progress() >= forcedRecoveryShare) {
      return new Decision.Finalize(Outcome.COMPLETE_FORCED_RECOVERY);
    }
    if (s.trigger() != Trigger.OPERATOR && s.redispatches() < maxRedispatches) {
      return new Decision.Redispatch();
    }
    return new Decision.Fail(FailureReason.STUCK_INSUFFICIENT_PROGRESS, String.format(java.util.Locale.ROOT,
        "stalled with %d of %d budgeted comparisons judged (%.0f %% < %.0f %%), %d pending", s.judged(), s.budget(),
        100 * s.progress(), 100 * forcedRecoveryShare, s.pending()));
  }

  private Decision nextWave(BatchSnapshot s) {
    int perWave = waveSize > 0 ? waveSize : Math.max(1, s.essays() / 2);
    int pairs = Math.min(perWave, s.remainingBudget());
    if (pairs <= 0) {
      return new Decision.Finalize(Outcome.COMPLETE_BUDGET_EXHAUSTED);
    }
    return new Decision.NextWave(pairs);
  }

  private static double successRate(BatchSnapshot s) {
    return s.answered() == 0 ? 1.0 : (double) s.judged() / s.answered();
  }
}
