package org.cjassessment.app.assess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.cjassessment.judge.FailureCode;
import org.cjassessment.judge.Judge;
import org.cjassessment.judge.JudgeOutcome;
import org.cjassessment.judge.PairToJudge;
import org.cjassessment.judge.TokenUsage;
import org.cjassessment.service.Json;

/**
 * A judge that asks its provider at most once per comparison in an output directory: an answer is written to the
 * {@link AnswerJournal} (fsynced) before the worker publishes its callback, and a comparison asked again — its
 * request consumed again after a crash — is answered from the journal. What the provider can still be asked twice
 * is a call that was running when the process died (it answered, or would have, but nothing was written): at most
 * the worker's concurrency.
 */
final class JournaledJudge implements Judge {

  private final Judge provider;
  private final AnswerJournal journal;

  JournaledJudge(Judge provider, AnswerJournal journal) {
    this.provider = provider;
    this.journal = journal;
  }

  @Override
  public String provider() {
    return provider.provider();
  }

  @Override
  public CompletionStage<JudgeOutcome> judge(PairToJudge pair) {
    var known = journal.answer(pair.correlationId());
    if (known.isPresent()) {
      journal.replayed();
      return CompletableFuture.completedFuture(decode(known.get()));
    }
    return provider.judge(pair).thenApply(outcome -> {
      journal.record(pair.correlationId(), encode(outcome));
      return outcome;
    });
  }

  @Override
  public void close() {
    provider.close();
  }

  static JsonNode encode(JudgeOutcome outcome) {
    ObjectNode n = Json.mapper().createObjectNode();
    if (outcome instanceof JudgeOutcome.Verdict v) {
      n.put("kind", "verdict");
      n.put("essay_a_wins", v.essayAWins());
      n.put("justification", v.justification());
      n.put("confidence", v.confidence());
      if (v.probabilityA().isPresent()) {
        n.put("probability_a", v.probabilityA().getAsDouble());
      }
    } else if (outcome instanceof JudgeOutcome.Failure f) {
      n.put("kind", "failure");
      n.put("code", f.code().name());
      n.put("detail", f.detail());
    }
    n.put("model", outcome.model());
    TokenUsage u = outcome.usage() == null ? TokenUsage.NONE : outcome.usage();
    ObjectNode usage = n.putObject("usage");
    usage.put("prompt", u.promptTokens());
    usage.put("completion", u.completionTokens());
    usage.put("cache_write", u.cacheWriteTokens());
    usage.put("cache_read", u.cacheReadTokens());
    n.put("response_millis", outcome.responseMillis());
    n.put("prompt_hash", outcome.promptHash());
    return n;
  }

  static JudgeOutcome decode(JsonNode n) {
    JsonNode u = n.path("usage");
    TokenUsage usage = new TokenUsage(u.path("prompt").asInt(), u.path("completion").asInt(),
        u.path("cache_write").asInt(), u.path("cache_read").asInt());
    String model = n.path("model").isNull() ? null : n.path("model").asText(null);
    String hash = n.path("prompt_hash").isNull() ? null : n.path("prompt_hash").asText(null);
    long millis = n.path("response_millis").asLong();
    if (n.path("kind").asText().equals("verdict")) {
      OptionalDouble p = n.hasNonNull("probability_a") ? OptionalDouble.of(n.get("probability_a").asDouble())
          : OptionalDouble.empty();
      return new JudgeOutcome.Verdict(n.path("essay_a_wins").asBoolean(), n.path("justification").asText(),
          n.path("confidence").asInt(), p, model, usage, millis, hash);
    }
    return new JudgeOutcome.Failure(FailureCode.valueOf(n.path("code").asText()), n.path("detail").asText(), model,
        usage, millis, hash);
  }
}
