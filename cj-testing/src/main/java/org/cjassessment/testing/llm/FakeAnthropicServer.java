package org.cjassessment.testing.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake Anthropic Messages endpoint ({@code POST /v1/messages}): answers the forced tool with a {@code tool_use}
 * block, reports prompt caching in {@code usage} (a system block marked {@code cache_control} is written to the
 * cache on first sight and read after), sends the {@code anthropic-ratelimit-*} headers, and Anthropic's error
 * bodies ({@code {"type": "error", "error": {type, message}}}) for every fault, 529 {@code overloaded_error}
 * included.
 */
public final class FakeAnthropicServer extends FakeProviderServer {

  private final Set<String> cached = ConcurrentHashMap.newKeySet();

  public FakeAnthropicServer() {
    super("/v1/messages");
  }

  @Override
  protected String presentedKey(RecordedRequest request) {
    return request.header("x-api-key");
  }

  @Override
  protected String userText(JsonNode request) {
    StringBuilder text = new StringBuilder();
    for (JsonNode m : request.path("messages")) {
      JsonNode c = m.path("content");
      if (c.isTextual()) {
        text.append(c.asText());
      } else {
        c.forEach(block -> text.append(block.path("text").asText()));
      }
    }
    return text.toString();
  }

  @Override
  protected Response respond(JsonNode request, Fault fault, Answer answer) {
    Map<String, String> limits = new LinkedHashMap<>();
    String reset = DateTimeFormatter.ISO_INSTANT.format(Instant.now().plusSeconds(1));
    limits.put("anthropic-ratelimit-requests-limit", "50");
    limits.put("anthropic-ratelimit-requests-remaining", "49");
    limits.put("anthropic-ratelimit-requests-reset", reset);
    limits.put("anthropic-ratelimit-tokens-limit", "40000");
    limits.put("anthropic-ratelimit-tokens-remaining", "39000");
    limits.put("anthropic-ratelimit-tokens-reset", reset);
    limits.put("request-id", "req_" + UUID.randomUUID().toString().replace("-", ""));
    if (fault != null) {
      switch (fault) {
        case RATE_LIMITED -> {
          limits.put("retry-after", "1");
          return error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit",
              limits);
        }
        case RATE_LIMITED_HTTP_DATE -> {
          limits.put("retry-after", DateTimeFormatter.RFC_1123_DATE_TIME.format(
              ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2)));
          return error(429, "rate_limit_error", "Number of requests has exceeded your per-minute rate limit", limits);
        }
        case RATE_LIMITED_RESET_HEADERS -> {
          limits.put("anthropic-ratelimit-requests-remaining", "0");
          return error(429, "rate_limit_error", "Number of requests has exceeded your per-minute rate limit", limits);
        }
        case QUOTA_EXHAUSTED -> {
          return error(400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API. "
              + "Please go to Plans & Billing to upgrade or purchase credits.", limits);
        }
        case SERVER_ERROR -> {
          return error(500, "api_error", "Internal server error", limits);
        }
        case OVERLOADED -> {
          return error(529, "overloaded_error", "Overloaded", limits);
        }
        case UNAUTHORIZED -> {
          return error(401, "authentication_error", "invalid x-api-key", Map.of());
        }
        case BAD_REQUEST -> {
          return error(400, "invalid_request_error", "tools.0.input_schema: JSON schema is invalid", limits);
        }
        case MALFORMED_BODY -> {
          return new Response(200, limits, "<html><body>upstream connect error</body></html>");
        }
        default -> {
          // answered below with a bad message
        }
      }
    }
    String tool = request.path("tool_choice").path("name").asText("record_comparison");
    ObjectNode body = JSON.createObjectNode();
    body.put("id", "msg_" + UUID.randomUUID().toString().replace("-", ""));
    body.put("type", "message");
    body.put("role", "assistant");
    body.put("model", request.path("model").asText());
    var content = body.putArray("content");
    String stop = "tool_use";
    if (fault == Fault.REFUSAL) {
      stop = "refusal";
    } else {
      ObjectNode use = content.addObject();
      use.put("type", "tool_use");
      use.put("id", "toolu_" + UUID.randomUUID().toString().replace("-", ""));
      use.put("name", tool);
      ObjectNode input = use.putObject("input");
      if (fault == Fault.SCHEMA_INVALID) {
        input.put("winner", "Essay C").put("justification", "both");
      } else if (fault == Fault.TRUNCATED) {
        stop = "max_tokens";
        input.put("winner", "Essay A");
      } else {
        input.put("winner", answer.winner()).put("justification", answer.justification())
            .put("confidence", answer.confidence());
      }
    }
    body.put("stop_reason", stop);
    body.putNull("stop_sequence");
    int cacheable = 0;
    int plain = 0;
    String cacheKey = null;
    for (JsonNode block : request.path("system")) {
      if (block.has("cache_control")) {
        cacheable += tokens(block.path("text").asText());
        cacheKey = block.path("text").asText();
      } else {
        plain += tokens(block.path("text").asText());
      }
    }
    plain += tokens(userText(request)) + tokens(request.path("tools").toString());
    boolean hit = cacheKey != null && !cached.add(cacheKey);
    ObjectNode usage = body.putObject("usage");
    usage.put("input_tokens", plain);
    usage.put("output_tokens", fault == Fault.REFUSAL ? 5 : 60);
    usage.put("cache_creation_input_tokens", hit ? 0 : cacheable);
    usage.put("cache_read_input_tokens", hit ? cacheable : 0);
    return Response.json(200, body, limits);
  }

  private static Response error(int status, String type, String message, Map<String, String> headers) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "error");
    body.putObject("error").put("type", type).put("message", message);
    return Response.json(status, body, headers);
  }
}
