package org.cjassessment.core.batch;

/** The answer of {@link ContinuationPolicy#decide}: exactly one thing to do, applied in the same transaction. */
public sealed interface Decision {

  /** Nothing to do now (callbacks outstanding, or another trigger got there first). */
  record Wait(String why) implements Decision {}

  /** Request up to {@code maxPairs} more comparisons. */
  record NextWave(int maxPairs) implements Decision {}

  /** Re-send the requests of comparisons still pending (their requests or answers were lost). */
  record Redispatch() implements Decision {}

  /** Complete the batch; {@code stopReason} says why it stopped asking for comparisons. */
  record Finalize(Outcome outcome, StopReason stopReason) implements Decision {
    public Finalize(Outcome outcome) {
      this(outcome, StopReason.of(outcome));
    }
  }

  record Fail(FailureReason reason, String detail) implements Decision {}

  /** The batch is already COMPLETED or FAILED: an expected, harmless outcome of racing triggers. */
  record AlreadyTerminal(BatchState state) implements Decision {}
}
