package org.cjassessment.core.batch;

import java.util.EnumSet;
import java.util.Set;

/**
 * The one lifecycle column of a batch. The transition table below is mirrored in the database (table
 * {@code batch_state_transitions} and a trigger), so no code path can write an illegal move; terminal states are
 * absorbing.
 */
public enum BatchState {
  RECEIVED,
  COMPARING,
  COMPLETED,
  FAILED;

  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED;
  }

  /** States reachable in one step (a new wave keeps COMPARING, which is not a transition). */
  public Set<BatchState> next() {
    return switch (this) {
      case RECEIVED -> EnumSet.of(COMPARING, COMPLETED, FAILED);
      case COMPARING -> EnumSet.of(COMPLETED, FAILED);
      case COMPLETED, FAILED -> EnumSet.noneOf(BatchState.class);
    };
  }

  public boolean canMoveTo(BatchState target) {
    return next().contains(target);
  }
}
