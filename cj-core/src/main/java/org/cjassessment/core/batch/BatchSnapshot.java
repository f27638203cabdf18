package org.cjassessment.core.batch;

import java.util.OptionalDouble;

/**
 * What the decision needs to know about a batch, read under its row lock.
 *
 * @param students student essays (anchors excluded)
 * @param essays all essays in the comparison net (students and anchors)
 * @param budget maximum number of comparisons to request
 * @param submitted comparisons requested so far (all waves)
 * @param judged comparisons answered with a winner
 * @param errored comparisons answered with an error
 * @param scoreChange largest absolute change of any score between the last two fits, when two exist
 * @param stalled no activity for longer than the stuck timeout (only meaningful for the stuck-recovery trigger)
 * @param redispatches how many times lost comparisons of this batch were already re-dispatched
 * @param precision precision of the current fit (reliability, grade confidences), for the precision stop
 */
public record BatchSnapshot(
    BatchState state,
    Trigger trigger,
    int students,
    int essays,
    int budget,
    int submitted,
    int judged,
    int errored,
    OptionalDouble scoreChange,
    boolean stalled,
    int redispatches,
    Precision precision) {

  /** A snapshot without precision figures (no precision stop is possible). */
  public BatchSnapshot(BatchState state, Trigger trigger, int students, int essays, int budget, int submitted,
      int judged, int errored, OptionalDouble scoreChange, boolean stalled, int redispatches) {
    this(state, trigger, students, essays, budget, submitted, judged, errored, scoreChange, stalled, redispatches,
        Precision.none());
  }

  public BatchSnapshot withPrecision(Precision value) {
    return new BatchSnapshot(state, trigger, students, essays, budget, submitted, judged, errored, scoreChange,
        stalled, redispatches, value);
  }

  public int pending() {
    return submitted - judged - errored;
  }

  public int answered() {
    return judged + errored;
  }

  public int remainingBudget() {
    return Math.max(0, budget - submitted);
  }

  /** Share of the budget answered with a winner, in [0, 1]. */
  public double progress() {
    return budget <= 0 ? 1.0 : Math.min(1.0, (double) judged / budget);
  }
}
