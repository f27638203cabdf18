package org.cjassessment.judge.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalDouble;
import org.cjassessment.judge.FailureCode;
import org.cjassessment.judge.JudgeOutcome;
import org.cjassessment.judge.PairToJudge;
import org.cjassessment.judge.TokenUsage;
import org.cjassessment.judge.llm.AnswerSchema;
import org.cjassessment.judge.llm.LlmJudge;
import org.cjassessment.judge.llm.LlmSettings;
import org.cjassessment.judge.prompt.PromptTemplate;
import org.cjassessment.judge.wire.WireJson;

/**
 * Any OpenAI-compatible Chat Completions endpoint (OpenAI, OpenRouter, vLLM, Ollama, llama.cpp): the instruction
 * block as the system message (first, so automatic prefix caching applies), the essays as the user message, the
 * answer forced by {@code response_format: json_schema} with {@code strict: true}, and — when enabled —
 * {@code logprobs} with {@code top_logprobs}, from which {@link LogprobReader} reads P(Essay A is better).
 */
public final class OpenAiJudge extends LlmJudge {

  static final int TOP_LOGPROBS = 5;

  public OpenAiJudge(LlmSettings settings) {
    super(settings, "chat/completions", headers(settings));
  }

  private static Map<String, String> headers(LlmSettings s) {
    return s.apiKey() == null || s.apiKey().isEmpty() ? Map.of("content-type", "application/json")
        : Map.of("content-type", "application/json", "authorization", "Bearer " + s.apiKey());
  }

  @Override
  public String provider() {
    return "openai";
  }

  @Override
  protected JsonNode body(PromptTemplate.Rendered prompt, PairToJudge pair, String model) {
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    body.put("model", model);
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", prompt.instructions());
    messages.addObject().put("role", "user").put("content", prompt.essays());
    OptionalDouble t = pair.temperature().isPresent() ? pair.temperature() : settings.temperature();
    if (t.isPresent()) {
      body.put("temperature", t.getAsDouble());
    }
    body.put("max_completion_tokens", pair.maxTokens().orElse(settings.maxTokens()));
    ObjectNode format = body.putObject("response_format");
    format.put("type", "json_schema");
    ObjectNode schema = format.putObject("json_schema");
    schema.put("name", AnswerSchema.NAME);
    schema.put("strict", true);
    schema.set("schema", AnswerSchema.schema());
    if (settings.logprobs()) {
      body.put("logprobs", true);
      body.put("top_logprobs", TOP_LOGPROBS);
    }
    return body;
  }

  @Override
  protected JudgeOutcome success(JsonNode body, String model, String hash, long millis) {
    JsonNode usageNode = body.path("usage");
    TokenUsage usage = new TokenUsage(integer(usageNode, "prompt_tokens"), integer(usageNode, "completion_tokens"),
        0, 0);
    String answered = body.path("model").isTextual() ? body.path("model").asText() : model;
    JsonNode choice = body.path("choices").path(0);
    if (!choice.isObject()) {
      return failure(FailureCode.INVALID_RESPONSE, "the completion has no choices[0]", answered, usage, millis, hash);
    }
    JsonNode message = choice.path("message");
    JsonNode refusal = message.path("refusal");
    if (refusal.isTextual() && !refusal.asText().isBlank()) {
      // the refusal text is the model's and may quote an essay: its length only
      return failure(FailureCode.CONTENT_REFUSED, "the model refused to judge (message.refusal, "
          + refusal.asText().length() + " characters)", answered, usage, millis, hash);
    }
    String finish = choice.path("finish_reason").asText("");
    if (finish.equals("length")) {
      return failure(FailureCode.OUTPUT_TRUNCATED, "finish_reason length: the answer was cut off at "
          + "max_completion_tokens; raise CJ_JUDGE_MAX_TOKENS", answered, usage, millis, hash);
    }
    if (finish.equals("content_filter")) {
      return failure(FailureCode.CONTENT_REFUSED, "finish_reason content_filter: the provider's filter withheld "
          + "the answer", answered, usage, millis, hash);
    }
    JsonNode content = message.path("content");
    if (!content.isTextual() || content.asText().isBlank()) {
      return failure(FailureCode.INVALID_RESPONSE, "message.content is empty (finish_reason " + finish + ")",
          answered, usage, millis, hash);
    }
    JsonNode parsed;
    try {
      parsed = WireJson.MAPPER.readTree(content.asText());
    } catch (IOException e) {
      parsed = null;
    }
    if (parsed == null) {
      return failure(FailureCode.INVALID_RESPONSE, "message.content is not JSON (" + content.asText().length()
          + " characters)", answered, usage, millis, hash);
    }
    Object checked = AnswerSchema.check(parsed);
    if (checked instanceof String problem) {
      return failure(FailureCode.INVALID_RESPONSE, "the answer breaks the schema: " + problem, answered, usage,
          millis, hash);
    }
    AnswerSchema.Answer a = (AnswerSchema.Answer) checked;
    OptionalDouble p = LogprobReader.probabilityA(content.asText(), choice.path("logprobs"));
    return new JudgeOutcome.Verdict(a.essayAWins(), a.justification(), a.confidence(), p, answered, usage, millis,
        hash);
  }

  @Override
  protected String errorSummary(JsonNode body) {
    JsonNode e = body.path("error");
    String type = e.path("type").asText(e.path("code").asText("error"));
    return type + ": " + org.cjassessment.judge.http.ProviderClient.brief(e.path("message").asText(body.toString()));
  }

  @Override
  protected boolean quotaExhausted(int status, String body) {
    return status == 429 && body != null && body.contains("insufficient_quota");
  }
}
