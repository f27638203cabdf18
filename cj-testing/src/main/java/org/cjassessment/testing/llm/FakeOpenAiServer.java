package org.cjassessment.testing.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A fake OpenAI Chat Completions endpoint ({@code POST /v1/chat/completions}): answers with the JSON the request's
 * {@code response_format} asks for, {@code logprobs} with {@code top_logprobs} when requested (the winner's letter
 * token carries the model's probability), {@code usage}, the {@code x-ratelimit-*} headers, and OpenAI's error
 * bodies ({@code {"error": {message, type, param, code}}}) for every fault.
 */
public final class FakeOpenAiServer extends FakeProviderServer {

  public FakeOpenAiServer() {
    super("/v1/chat/completions");
  }

  @Override
  protected String presentedKey(RecordedRequest request) {
    String auth = request.header("authorization");
    return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
  }

  @Override
  protected String userText(JsonNode request) {
    StringBuilder text = new StringBuilder();
    for (JsonNode m : request.path("messages")) {
      if (m.path("role").asText().equals("user")) {
        text.append(m.path("content").asText());
      }
    }
    return text.toString();
  }

  @Override
  protected Response respond(JsonNode request, Fault fault, Answer answer) {
    Map<String, String> limits = new LinkedHashMap<>();
    limits.put("x-ratelimit-limit-requests", "500");
    limits.put("x-ratelimit-remaining-requests", "499");
    limits.put("x-ratelimit-reset-requests", "120ms");
    limits.put("x-ratelimit-limit-tokens", "30000");
    limits.put("x-ratelimit-remaining-tokens", "29000");
    limits.put("x-ratelimit-reset-tokens", "2s");
    if (fault != null) {
      switch (fault) {
        case RATE_LIMITED -> {
          limits.put("retry-after", "1");
          return error(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", limits);
        }
        case RATE_LIMITED_HTTP_DATE -> {
          limits.put("retry-after", DateTimeFormatter.RFC_1123_DATE_TIME.format(
              ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2)));
          return error(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", limits);
        }
        case RATE_LIMITED_RESET_HEADERS -> {
          limits.put("x-ratelimit-remaining-requests", "0");
          limits.put("x-ratelimit-reset-requests", "1s");
          return error(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", limits);
        }
        case QUOTA_EXHAUSTED -> {
          return error(429, "You exceeded your current quota, please check your plan and billing details.",
              "insufficient_quota", "insufficient_quota", limits);
        }
        case SERVER_ERROR -> {
          return error(500, "The server had an error while processing your request.", "server_error", null, limits);
        }
        case OVERLOADED -> {
          return error(503, "The engine is currently overloaded, please try again later", "server_error", null,
              limits);
        }
        case UNAUTHORIZED -> {
          return error(401, "Incorrect API key provided: sk-****. You can find your API key at "
              + "https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key", Map.of());
        }
        case BAD_REQUEST -> {
          return error(400, "Invalid schema for response_format 'essay_comparison'.", "invalid_request_error",
              null, limits);
        }
        case MALFORMED_BODY -> {
          return new Response(200, limits, "<html><body>502 Bad Gateway</body></html>");
        }
        default -> {
          // answered below: these are 200s with a bad completion
        }
      }
    }
    String content;
    String refusal = null;
    String finish = "stop";
    if (fault == Fault.REFUSAL) {
      content = null;
      refusal = "I'm sorry, I can't help with comparing these texts.";
    } else if (fault == Fault.SCHEMA_INVALID) {
      content = "{\"winner\":\"Essay C\",\"justification\":\"both\"}";
    } else if (fault == Fault.TRUNCATED) {
      content = "{\"winner\":\"Essay A\",\"justification\":\"The first essay is";
      finish = "length";
    } else {
      // the schema's property order, as strict structured outputs keep it
      content = "{\"winner\":" + quote(answer.winner()) + ",\"justification\":" + quote(answer.justification())
          + ",\"confidence\":" + answer.confidence() + "}";
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("id", "chatcmpl-" + UUID.randomUUID());
    body.put("object", "chat.completion");
    body.put("created", System.currentTimeMillis() / 1000);
    body.put("model", request.path("model").asText());
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", content);
    message.put("refusal", refusal);
    if (request.path("logprobs").asBoolean(false) && content != null && answer != null) {
      choice.set("logprobs", logprobs(answer, request.path("top_logprobs").asInt(0)));
    } else {
      choice.putNull("logprobs");
    }
    choice.put("finish_reason", finish);
    int prompt = 0;
    for (JsonNode m : request.path("messages")) {
      prompt += tokens(m.path("content").asText()) + 4;
    }
    int completion = content == null ? 12 : tokens(content);
    ObjectNode usage = body.putObject("usage");
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", prompt + completion);
    usage.putObject("prompt_tokens_details").put("cached_tokens", 0);
    return Response.json(200, body, limits);
  }

  /** Tokens of {"winner":"Essay A",...}: the letter token carries P(A) and P(B) among its top logprobs. */
  private static ObjectNode logprobs(Answer answer, int top) {
    ObjectNode logprobs = JSON.createObjectNode();
    ArrayNode content = logprobs.putArray("content");
    String letter = answer.winner().endsWith("A") ? " A" : " B";
    double pA = answer.probabilityA();
    for (String token : new String[] {"{\"", "winner", "\":\"", "Essay", letter, "\",\"", "just"}) {
      ObjectNode t = content.addObject();
      t.put("token", token);
      double lp = token.equals(letter) ? Math.log(letter.equals(" A") ? pA : 1 - pA) : -0.0001;
      t.put("logprob", lp);
      t.putNull("bytes");
      ArrayNode tops = t.putArray("top_logprobs");
      if (top > 0) {
        if (token.equals(letter)) {
          ObjectNode a = JSON.createObjectNode().put("token", " A").put("logprob", Math.log(pA));
          ObjectNode b = JSON.createObjectNode().put("token", " B").put("logprob", Math.log(1 - pA));
          if (letter.equals(" A")) {
            tops.add(a).add(b);
          } else {
            tops.add(b).add(a);
          }
        } else {
          tops.addObject().put("token", token).put("logprob", -0.0001);
        }
      }
    }
    return logprobs;
  }

  private static Response error(int status, String message, String type, String code, Map<String, String> headers) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    error.put("code", code);
    return Response.json(status, body, headers);
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
