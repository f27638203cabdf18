package org.cjassessment.judge;

import java.util.concurrent.CompletionStage;

/**
 * The port the worker asks: judge one pair, answer a verdict or a classified failure. Asynchronous so that a slow
 * provider (or a simulated latency) costs a pending future, not a parked thread; the worker caps how many are
 * outstanding. An implementation completes the stage normally with a {@link JudgeOutcome.Failure} for every
 * provider problem it can name; completing exceptionally is a bug and is reported as {@code UNKNOWN_ERROR}.
 */
public interface Judge extends AutoCloseable {

  /** The provider name the callbacks carry ({@code openai}, {@code anthropic}, {@code simulated}). */
  String provider();

  CompletionStage<JudgeOutcome> judge(PairToJudge pair);

  /** Releases threads or connections; default none. */
  @Override
  default void close() {}
}
