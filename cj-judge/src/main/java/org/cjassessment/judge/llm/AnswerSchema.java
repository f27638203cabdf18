package org.cjassessment.judge.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cjassessment.judge.wire.WireJson;

/**
 * The answer every LLM judge must give, as a JSON Schema fit for OpenAI strict structured outputs (every property
 * required, {@code additionalProperties: false}, enums instead of ranges) and for an Anthropic tool's
 * {@code input_schema} — and its check, since neither a local server nor a tool call is guaranteed to obey it.
 */
public final class AnswerSchema {

  public static final String NAME = "essay_comparison";

  /** A checked answer. */
  public record Answer(boolean essayAWins, String justification, int confidence) {}

  private AnswerSchema() {}

  public static ObjectNode schema() {
    ObjectNode schema = WireJson.MAPPER.createObjectNode();
    schema.put("type", "object");
    ObjectNode props = schema.putObject("properties");
    ObjectNode winner = props.putObject("winner");
    winner.put("type", "string");
    winner.put("description", "The better essay.");
    winner.putArray("enum").add("Essay A").add("Essay B");
    ObjectNode justification = props.putObject("justification");
    justification.put("type", "string");
    justification.put("description", "Two or three sentences naming the decisive differences.");
    ObjectNode confidence = props.putObject("confidence");
    confidence.put("type", "integer");
    confidence.put("description", "1 = a near coin toss, 5 = clearly better on every criterion.");
    confidence.putArray("enum").add(1).add(2).add(3).add(4).add(5);
    schema.putArray("required").add("winner").add("justification").add("confidence");
    schema.put("additionalProperties", false);
    return schema;
  }

  /** The answer, or a message saying what breaks the schema (field names and values, never essay text). */
  public static Object check(JsonNode answer) {
    if (answer == null || !answer.isObject()) {
      return "the answer is not a JSON object";
    }
    JsonNode w = answer.get("winner");
    if (w == null || !w.isTextual() || !(w.asText().equals("Essay A") || w.asText().equals("Essay B"))) {
      return "winner " + abbreviate(w) + " is not \"Essay A\" or \"Essay B\"";
    }
    JsonNode j = answer.get("justification");
    if (j == null || !j.isTextual() || j.asText().isBlank()) {
      return "justification is missing";
    }
    JsonNode c = answer.get("confidence");
    if (c == null || !c.isNumber() || c.asDouble() != Math.rint(c.asDouble()) || c.asInt() < 1 || c.asInt() > 5) {
      return "confidence " + abbreviate(c) + " is not an integer 1..5";
    }
    return new Answer(w.asText().equals("Essay A"), j.asText().strip(), c.asInt());
  }

  private static String abbreviate(JsonNode v) {
    if (v == null) {
      return "(missing)";
    }
    String s = v.toString();
    return s.length() <= 20 ? s : s.substring(0, 20) + "...";
  }
}
