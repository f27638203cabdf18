package org.cjassessment.judge;

import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A judge whose answers the test releases one by one (by correlation id), to observe the worker in between. */
final class GateJudge implements Judge {

  final List<String> asked = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, CompletableFuture<JudgeOutcome>> pending = new ConcurrentHashMap<>();

  @Override
  public String provider() {
    return "gate";
  }

  @Override
  public CompletionStage<JudgeOutcome> judge(PairToJudge pair) {
    asked.add(pair.correlationId());
    return pending.computeIfAbsent(pair.correlationId(), id -> new CompletableFuture<>());
  }

  void release(String correlationId) {
    pending.computeIfAbsent(correlationId, id -> new CompletableFuture<>()).complete(
        new JudgeOutcome.Verdict(true, "first is better", 4, OptionalDouble.empty(), "gate-model", TokenUsage.NONE, 1,
            null));
  }

  void releaseAll() {
    asked.forEach(this::release);
  }
}
