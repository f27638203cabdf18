package org.cjassessment.judge.simulated;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cjassessment.core.judge.SimulatedJudgeModel;
import org.cjassessment.judge.FailureCode;
import org.cjassessment.judge.Judge;
import org.cjassessment.judge.JudgeOutcome;
import org.cjassessment.judge.PairToJudge;
import org.cjassessment.judge.TokenEstimate;
import org.cjassessment.judge.TokenUsage;
import org.cjassessment.judge.prompt.PromptTemplate;

/**
 * The {@code simulated} provider: answers from {@link SimulatedJudgeModel} (hidden true abilities, a calibrated
 * agreement, position bias, error rate, log-normal latency). The latency is a timer on one scheduler thread, not a
 * parked thread per request, so a thousand outstanding comparisons cost a thousand timers. Tokens are estimated from
 * the rendered prompt ({@link TokenEstimate}), so a simulated run reports the cost a real one would have.
 */
public final class SimulatedJudge implements Judge {

  /** What a verdict of about 40 words costs in output tokens (JSON keys included). */
  static final int COMPLETION_TOKENS = 70;

  private final SimulatedJudgeModel model;
  private final PromptTemplate prompt;
  private final String modelName;
  private final ScheduledExecutorService timers;

  public SimulatedJudge(SimulatedJudgeModel model, PromptTemplate prompt) {
    this.model = model;
    this.prompt = prompt;
    SimulatedJudgeModel.Settings s = model.settings();
    this.modelName = "simulated-bt(agreement=" + s.agreement() + ",bias=" + s.positionBias() + ",seed=" + s.seed()
        + ")";
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "simulated-judge-latency");
      t.setDaemon(true);
      return t;
    });
  }

  /** A judge calibrated on {@code truth} (essay id → ability) with the default prompt. */
  public static SimulatedJudge of(Map<String, Double> truth, SimulatedJudgeModel.Settings settings) {
    return new SimulatedJudge(SimulatedJudgeModel.calibrated(truth, settings), PromptTemplate.defaults());
  }

  public SimulatedJudgeModel model() {
    return model;
  }

  @Override
  public String provider() {
    return "simulated";
  }

  @Override
  public CompletionStage<JudgeOutcome> judge(PairToJudge pair) {
    PromptTemplate.Rendered rendered = prompt.render(pair);
    TokenUsage usage = new TokenUsage(TokenEstimate.of(rendered.instructions()) + TokenEstimate.of(rendered.essays()),
        COMPLETION_TOKENS, 0, 0);
    JudgeOutcome outcome;
    long latency;
    if (model.ability(pair.essayAId()).isEmpty() || model.ability(pair.essayBId()).isEmpty()) {
      String missing = model.ability(pair.essayAId()).isEmpty() ? pair.essayAId() : pair.essayBId();
      outcome = new JudgeOutcome.Failure(FailureCode.SIMULATED_ERROR, "the simulated judge has no true ability for "
          + "essay " + missing + "; add it to the truth file", modelName, TokenUsage.NONE, 0, rendered.hash());
      latency = 0;
    } else {
      SimulatedJudgeModel.Verdict v = model.judge(pair.essayAId(), pair.essayBId(), pair.correlationId());
      latency = v.latencyMillis();
      outcome = v.error()
          ? new JudgeOutcome.Failure(FailureCode.SIMULATED_ERROR, "simulated provider error (error rate "
              + model.settings().errorRate() + ")", modelName, usage, latency, rendered.hash())
          : new JudgeOutcome.Verdict(v.firstWins(), "Simulated judgement: P(Essay A is better) = "
              + String.format(java.util.Locale.ROOT, "%.3f", v.probabilityFirstWins()) + ".", v.confidence(),
              OptionalDouble.of(v.probabilityFirstWins()), modelName, usage, latency, rendered.hash());
    }
    if (latency <= 0) {
      return CompletableFuture.completedFuture(outcome);
    }
    CompletableFuture<JudgeOutcome> future = new CompletableFuture<>();
    timers.schedule(() -> future.complete(outcome), latency, TimeUnit.MILLISECONDS);
    return future;
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }
}
