package org.cjassessment.judge.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.cjassessment.judge.JudgeOutcome;

/**
 * The upstream {@code LLMComparisonResultV1} this worker publishes (contract
 * {@code contracts/huleedu.llm_provider.comparison_result.v1.schema.json}), built field by field so the wire shape
 * is visible here. Fields beyond upstream's (the service ignores unknown ones): {@code prompt_hash} and
 * {@code judge_probability_a} (the judge's probability that Essay A is better, when the provider gave logprobs).
 */
public final class ComparisonCallback {

  public static final String EVENT_TYPE = "huleedu.llm_provider.comparison_result.v1";

  /** Namespace of callback event ids (UUIDv5), so a re-judged request answers with the same event id. */
  private static final UUID NAMESPACE = UUID.fromString("1b7c2f0e-3a51-4d9b-8f62-7c0e5d4a9b13");

  /** The record to publish: its bytes, key and headers. */
  public record Message(String topic, String key, byte[] value, Map<String, String> headers) {}

  private ComparisonCallback() {}

  /**
   * @param costEstimate in the price unit configured (USD by convention)
   */
  public static Message build(ComparisonRequest request, JudgeOutcome outcome, String provider, String sourceService,
      double costEstimate, Instant requestedAt, Instant completedAt) {
    String promptHash = outcome.promptHash();
    String correlationId = request.pair().correlationId();
    UUID eventId = nameBased("cj-judge:" + request.eventId() + ":" + correlationId);
    ObjectNode envelope = WireJson.MAPPER.createObjectNode();
    envelope.put("event_id", eventId.toString());
    envelope.put("event_type", EVENT_TYPE);
    envelope.put("event_timestamp", completedAt.toString());
    envelope.put("source_service", sourceService);
    envelope.put("schema_version", 1);
    envelope.put("correlation_id", correlationId);
    envelope.putNull("data_schema_uri");
    ObjectNode data = envelope.putObject("data");
    data.put("request_id", request.eventId());
    data.put("correlation_id", correlationId);
    if (outcome instanceof JudgeOutcome.Verdict v) {
      data.put("winner", v.essayAWins() ? "Essay A" : "Essay B");
      data.put("justification", v.justification());
      data.put("confidence", v.confidence());
      data.putNull("error_detail");
      if (v.probabilityA().isPresent()) {
        data.put("judge_probability_a", v.probabilityA().getAsDouble());
      }
    } else {
      JudgeOutcome.Failure f = (JudgeOutcome.Failure) outcome;
      data.putNull("winner");
      data.putNull("justification");
      data.putNull("confidence");
      ObjectNode error = data.putObject("error_detail");
      error.put("error_code", f.code().name());
      error.put("message", f.detail());
      error.put("correlation_id", correlationId);
      error.put("timestamp", completedAt.toString());
      error.put("service", sourceService);
      error.put("operation", "judge_comparison");
      error.putObject("details").put("provider", provider);
    }
    data.put("provider", provider);
    data.put("model", outcome.model());
    data.put("response_time_ms", outcome.responseMillis());
    ObjectNode usage = data.putObject("token_usage");
    usage.put("prompt_tokens", outcome.usage().promptTokens());
    usage.put("completion_tokens", outcome.usage().completionTokens());
    usage.put("total_tokens", outcome.usage().totalTokens());
    usage.put("cache_write_tokens", outcome.usage().cacheWriteTokens());
    usage.put("cache_read_tokens", outcome.usage().cacheReadTokens());
    data.put("cost_estimate", costEstimate);
    data.put("requested_at", requestedAt.toString());
    data.put("completed_at", completedAt.toString());
    data.putNull("trace_id");
    if (promptHash != null) {
      data.put("prompt_hash", promptHash);
    }
    data.set("request_metadata", request.requestMetadata().deepCopy());
    ObjectNode metadata = envelope.putObject("metadata");
    if (promptHash != null) {
      metadata.put("prompt_hash", promptHash);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("event_id", eventId.toString());
    headers.put("event_type", EVENT_TYPE);
    headers.put("correlation_id", correlationId);
    headers.put("source_service", sourceService);
    headers.put("schema_version", "1");
    headers.put("content_type", "application/json");
    byte[] bytes;
    try {
      bytes = WireJson.MAPPER.writeValueAsBytes(envelope);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    return new Message(request.callbackTopic(), correlationId, bytes, headers);
  }

  /** RFC 4122 version 5 (SHA-1) name-based UUID. */
  static UUID nameBased(String name) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(toBytes(NAMESPACE));
      byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
      hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
      hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
      long msb = 0;
      long lsb = 0;
      for (int i = 0; i < 8; i++) {
        msb = (msb << 8) | (hash[i] & 0xff);
        lsb = (lsb << 8) | (hash[i + 8] & 0xff);
      }
      return new UUID(msb, lsb);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java platform", e);
    }
  }

  private static byte[] toBytes(UUID uuid) {
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (uuid.getMostSignificantBits() >>> (56 - 8 * i));
      out[i + 8] = (byte) (uuid.getLeastSignificantBits() >>> (56 - 8 * i));
    }
    return out;
  }
}
