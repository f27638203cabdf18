package org.cjassessment.service.callback;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.cjassessment.service.Json;
import org.cjassessment.service.JsonErrors;
import org.cjassessment.service.Timestamps;
import org.cjassessment.service.batch.ComparisonResult;

/** Parses and validates a callback envelope; every rejection names the field and the offending value. */
public final class ComparisonResultParser {

  /** A parsed callback or the reason it was rejected (the record goes to the dead-letter topic). */
  public sealed interface Parsed {}

  public record Valid(ComparisonResult result) implements Parsed {}

  public record Invalid(String reason) implements Parsed {}

  public Parsed parse(byte[] bytes) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(bytes);
    } catch (IOException e) {
      return new Invalid("callback is " + JsonErrors.describe(e));
    }
    if (root == null || !root.isObject()) {
      return new Invalid("envelope is not a JSON object");
    }
    String eventId = text(root, "event_id");
    if (eventId == null) {
      return new Invalid("envelope has no event_id");
    }
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) {
      return new Invalid("envelope " + eventId + " has no data object");
    }
    String correlation = text(data, "correlation_id");
    if (correlation == null) {
      return new Invalid("event " + eventId + ": data.correlation_id is missing");
    }
    UUID correlationId;
    try {
      correlationId = UUID.fromString(correlation);
    } catch (IllegalArgumentException e) {
      return new Invalid("event " + eventId + ": data.correlation_id '" + abbreviate(correlation)
          + "' is not a UUID");
    }
    String winner = text(data, "winner");
    JsonNode error = data.get("error_detail");
    boolean hasError = error != null && !error.isNull();
    if ((winner == null) == !hasError) {
      return new Invalid("event " + eventId + ": exactly one of data.winner and data.error_detail must be set");
    }
    JsonNode usage = data.path("token_usage");
    Instant completedAt;
    try {
      String at = text(data, "completed_at");
      completedAt = at == null ? null : Timestamps.parse(at);
    } catch (DateTimeParseException e) {
      return new Invalid("event " + eventId + ": data.completed_at '" + abbreviate(text(data, "completed_at"))
          + "' is not an ISO-8601 instant");
    }
    Double cost = number(data, "cost_estimate");
    if (cost != null && cost < 0) {
      return new Invalid("event " + eventId + ": data.cost_estimate " + cost + " is negative");
    }
    if (hasError) {
      String code = text(error, "error_code");
      return new Valid(new ComparisonResult(eventId, correlationId, null, null, null,
          code == null ? "UNKNOWN_ERROR" : code, abbreviate(text(error, "message")), text(data, "provider"),
          text(data, "model"), integer(data, "response_time_ms"), integer(usage, "prompt_tokens"),
          integer(usage, "completion_tokens"), integer(usage, "total_tokens"), cost, completedAt, null));
    }
    Boolean firstWon;
    if (winner.equals("Essay A")) {
      firstWon = true;
    } else if (winner.equals("Essay B")) {
      firstWon = false;
    } else {
      return new Invalid("event " + eventId + ": data.winner '" + abbreviate(winner)
          + "' is neither \"Essay A\" nor \"Essay B\"");
    }
    Double confidence = number(data, "confidence");
    if (confidence == null || confidence < 1.0 || confidence > 5.0) {
      return new Invalid("event " + eventId + ": data.confidence " + confidence + " is outside [1, 5]");
    }
    Double probabilityA = number(data, "judge_probability_a");
    if (probabilityA != null && !(probabilityA >= 0 && probabilityA <= 1)) {
      return new Invalid("event " + eventId + ": data.judge_probability_a " + probabilityA + " is outside [0, 1]");
    }
    String justification = text(data, "justification");
    if (justification == null) {
      return new Invalid("event " + eventId + ": data.justification is missing");
    }
    return new Valid(new ComparisonResult(eventId, correlationId, firstWon, confidence,
        justification.length() > 2000 ? justification.substring(0, 2000) : justification, null, null,
        text(data, "provider"), text(data, "model"), integer(data, "response_time_ms"),
        integer(usage, "prompt_tokens"), integer(usage, "completion_tokens"), integer(usage, "total_tokens"), cost,
        completedAt, probabilityA));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Double number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isNumber() ? null : v.asDouble();
  }

  private static Integer integer(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isNumber() ? null : v.asInt();
  }

  private static String abbreviate(String s) {
    return s == null ? null : s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
