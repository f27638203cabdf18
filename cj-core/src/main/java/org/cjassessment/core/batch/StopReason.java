package org.cjassessment.core.batch;

/**
 * Why a batch stopped asking for comparisons; recorded in the batch row and published with the results. Finer than
 * {@link Outcome} (whose values are part of the upstream contract): a precision stop completes as
 * {@link Outcome#COMPLETE_STABLE} with reason {@link #PRECISION_TARGET}.
 */
public enum StopReason {
  /** Every configured precision target (reliability, share of confident grades) was met. */
  PRECISION_TARGET,
  /** No score moved more than the stability threshold between two waves. */
  SCORES_STABLE,
  /** The comparison budget was spent. */
  BUDGET_SPENT,
  /** Every essay reached the cap on appearances (or no pair could be formed among those below it). */
  APPEARANCE_CAP,
  /** The batch stalled and was scored with what had arrived. */
  FORCED_RECOVERY,
  /** Fewer than two student essays. */
  TOO_FEW_ESSAYS;

  /** The reason implied by an outcome when no finer one is known. */
  public static StopReason of(Outcome outcome) {
    return switch (outcome) {
      case COMPLETE_STABLE -> SCORES_STABLE;
      case COMPLETE_BUDGET_EXHAUSTED -> BUDGET_SPENT;
      case COMPLETE_FORCED_RECOVERY -> FORCED_RECOVERY;
      case COMPLETE_INSUFFICIENT_ESSAYS -> TOO_FEW_ESSAYS;
    };
  }

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
