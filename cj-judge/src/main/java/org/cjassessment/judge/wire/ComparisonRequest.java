package org.cjassessment.judge.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.cjassessment.judge.PairToJudge;

/**
 * The service's comparison request as this worker reads it (contract
 * {@code contracts/huleedu.cj_assessment.comparison_requested.v1.schema.json}). Our own record on purpose: the
 * worker is the other side of the wire and must not depend on the service's classes.
 *
 * @param eventId the request envelope's id (deterministic per comparison and dispatch)
 * @param requestMetadata echoed verbatim in the callback
 */
public record ComparisonRequest(String eventId, String callbackTopic, PairToJudge pair, JsonNode requestMetadata) {

  /** A request that cannot be judged; the message names the field, never essay text. */
  public static final class Malformed extends Exception {
    public Malformed(String message) {
      super(message);
    }
  }

  public static ComparisonRequest parse(byte[] bytes) throws Malformed {
    JsonNode root;
    try {
      root = WireJson.MAPPER.readTree(bytes == null ? new byte[0] : bytes);
    } catch (IOException e) {
      throw new Malformed("not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new Malformed("envelope is not a JSON object");
    }
    JsonNode data = root.path("data");
    if (!data.isObject()) {
      throw new Malformed("envelope has no data object");
    }
    String correlationId = required(data, "correlation_id");
    String callbackTopic = required(data, "callback_topic");
    JsonNode a = data.path("essay_a");
    JsonNode b = data.path("essay_b");
    String aText = required(a, "text", "essay_a.text");
    String bText = required(b, "text", "essay_b.text");
    String aId = required(a, "essay_id", "essay_a.essay_id");
    String bId = required(b, "essay_id", "essay_b.essay_id");
    JsonNode overrides = data.path("llm_config_overrides");
    OptionalDouble temperature = OptionalDouble.empty();
    JsonNode t = overrides.path("temperature_override");
    if (t.isNumber()) {
      if (!(t.asDouble() >= 0 && t.asDouble() <= 2)) {
        throw new Malformed("llm_config_overrides.temperature_override " + t.asDouble() + " is outside [0, 2]");
      }
      temperature = OptionalDouble.of(t.asDouble());
    }
    OptionalInt maxTokens = OptionalInt.empty();
    JsonNode m = overrides.path("max_tokens_override");
    if (m.isIntegralNumber()) {
      if (m.asInt() <= 0) {
        throw new Malformed("llm_config_overrides.max_tokens_override " + m.asInt() + " is not positive");
      }
      maxTokens = OptionalInt.of(m.asInt());
    }
    PairToJudge pair = new PairToJudge(correlationId, aId, aText, bId, bText, optionalText(data, "assignment_context"),
        optionalText(overrides, "judge_rubric_override"), optionalText(overrides, "model_override"), temperature,
        maxTokens);
    JsonNode metadata = data.path("request_metadata");
    String eventId = root.path("event_id").isTextual() ? root.path("event_id").asText() : correlationId;
    return new ComparisonRequest(eventId, callbackTopic, pair,
        metadata.isObject() ? metadata : WireJson.MAPPER.createObjectNode());
  }

  /** The correlation id alone, when the rest is unusable (to answer with an error instead of dropping it). */
  public static Optional<String[]> correlationAndTopic(byte[] bytes) {
    try {
      JsonNode data = WireJson.MAPPER.readTree(bytes).path("data");
      String c = data.path("correlation_id").asText(null);
      String t = data.path("callback_topic").asText(null);
      return c == null || t == null || c.isBlank() || t.isBlank() ? Optional.empty()
          : Optional.of(new String[] {c, t});
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String required(JsonNode node, String field) throws Malformed {
    return required(node, field, "data." + field);
  }

  private static String required(JsonNode node, String field, String name) throws Malformed {
    JsonNode v = node.path(field);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new Malformed(name + " is missing or empty");
    }
    return v.asText();
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText()) : Optional.empty();
  }
}
