package org.cjassessment.judge.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.OptionalDouble;
import org.cjassessment.judge.FailureCode;
import org.cjassessment.judge.JudgeOutcome;
import org.cjassessment.judge.PairToJudge;
import org.cjassessment.judge.TokenUsage;
import org.cjassessment.judge.http.ProviderClient;
import org.cjassessment.judge.llm.AnswerSchema;
import org.cjassessment.judge.llm.LlmJudge;
import org.cjassessment.judge.llm.LlmSettings;
import org.cjassessment.judge.prompt.PromptTemplate;
import org.cjassessment.judge.wire.WireJson;

/**
 * The Anthropic Messages API: the instruction block as a system text block marked
 * {@code cache_control: {type: "ephemeral"}} (tools and system form the cached prefix, so every pair of a batch
 * after the first reads it at 0.1× the input price, once it is over the model's minimum cacheable length), the
 * essays as the user turn, and the answer forced through one tool ({@code tool_choice: {type: "tool", name}}).
 * Anthropic offers no logprobs: verdicts carry no probability.
 */
public final class AnthropicJudge extends LlmJudge {

  public static final String VERSION = "2023-06-01";
  static final String TOOL = "record_comparison";

  public AnthropicJudge(LlmSettings settings) {
    super(settings, "messages", Map.of("content-type", "application/json", "anthropic-version", VERSION,
        "x-api-key", settings.apiKey() == null ? "" : settings.apiKey()));
  }

  @Override
  public String provider() {
    return "anthropic";
  }

  @Override
  protected JsonNode body(PromptTemplate.Rendered prompt, PairToJudge pair, String model) {
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    body.put("model", model);
    body.put("max_tokens", pair.maxTokens().orElse(settings.maxTokens()));
    OptionalDouble t = pair.temperature().isPresent() ? pair.temperature() : settings.temperature();
    if (t.isPresent()) {
      body.put("temperature", Math.min(1.0, t.getAsDouble())); // Anthropic's range is 0..1
    }
    ObjectNode system = body.putArray("system").addObject();
    system.put("type", "text");
    system.put("text", prompt.instructions());
    system.putObject("cache_control").put("type", "ephemeral");
    body.putArray("messages").addObject().put("role", "user").put("content", prompt.essays());
    ObjectNode tool = body.putArray("tools").addObject();
    tool.put("name", TOOL);
    tool.put("description", "Record which of the two essays is better, why, and how sure you are.");
    tool.set("input_schema", AnswerSchema.schema());
    body.putObject("tool_choice").put("type", "tool").put("name", TOOL);
    return body;
  }

  @Override
  protected JudgeOutcome success(JsonNode body, String model, String hash, long millis) {
    JsonNode u = body.path("usage");
    int write = integer(u, "cache_creation_input_tokens");
    int read = integer(u, "cache_read_input_tokens");
    TokenUsage usage = new TokenUsage(integer(u, "input_tokens") + write + read, integer(u, "output_tokens"), write,
        read);
    String answered = body.path("model").isTextual() ? body.path("model").asText() : model;
    String stop = body.path("stop_reason").asText("");
    if (stop.equals("refusal")) {
      return failure(FailureCode.CONTENT_REFUSED, "the model refused to judge (stop_reason refusal)", answered, usage,
          millis, hash);
    }
    if (stop.equals("max_tokens")) {
      return failure(FailureCode.OUTPUT_TRUNCATED, "stop_reason max_tokens: the answer was cut off; raise "
          + "CJ_JUDGE_MAX_TOKENS", answered, usage, millis, hash);
    }
    JsonNode input = null;
    for (JsonNode block : body.path("content")) {
      if (block.path("type").asText().equals("tool_use") && block.path("name").asText().equals(TOOL)) {
        input = block.path("input");
      }
    }
    if (input == null) {
      return failure(FailureCode.INVALID_RESPONSE, "no " + TOOL + " tool_use block in the answer (stop_reason "
          + stop + ")", answered, usage, millis, hash);
    }
    Object checked = AnswerSchema.check(input);
    if (checked instanceof String problem) {
      return failure(FailureCode.INVALID_RESPONSE, "the tool input breaks the schema: " + problem, answered, usage,
          millis, hash);
    }
    AnswerSchema.Answer a = (AnswerSchema.Answer) checked;
    return new JudgeOutcome.Verdict(a.essayAWins(), a.justification(), a.confidence(), OptionalDouble.empty(),
        answered, usage, millis, hash);
  }

  @Override
  protected String errorSummary(JsonNode body) {
    JsonNode e = body.path("error");
    return e.path("type").asText("error") + ": " + ProviderClient.brief(e.path("message").asText(body.toString()));
  }

  /** Anthropic reports an empty balance as a 400 invalid_request_error whose message says so. */
  @Override
  protected boolean quotaExhausted(int status, String body) {
    return (status == 400 || status == 402 || status == 403) && body != null
        && body.toLowerCase(java.util.Locale.ROOT).contains("credit balance");
  }
}
