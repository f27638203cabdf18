package org.cjassessment.core.batch;

/** Why a batch completed. */
public enum Outcome {
  /** Scores stopped moving between waves. */
  COMPLETE_STABLE,
  /** The comparison budget was spent. */
  COMPLETE_BUDGET_EXHAUSTED,
  /** The batch stalled with at least the forced-recovery share of its budget judged; scored with what arrived. */
  COMPLETE_FORCED_RECOVERY,
  /** Fewer than two student essays: nothing to compare. */
  COMPLETE_INSUFFICIENT_ESSAYS
}
