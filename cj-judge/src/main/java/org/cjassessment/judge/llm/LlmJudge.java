package org.cjassessment.judge.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.cjassessment.judge.FailureCode;
import org.cjassessment.judge.Judge;
import org.cjassessment.judge.JudgeOutcome;
import org.cjassessment.judge.PairToJudge;
import org.cjassessment.judge.TokenUsage;
import org.cjassessment.judge.http.ProviderClient;
import org.cjassessment.judge.http.RequestPacer;
import org.cjassessment.judge.prompt.PromptTemplate;
import org.cjassessment.judge.wire.WireJson;

/**
 * What the HTTP judges share: render the prompt, POST with retries ({@link ProviderClient}), and turn every answer
 * into a verdict or a classified failure — the status codes the providers agree on here, the body in the adapter.
 * A failure's detail names the status, the provider's error type and message; never the key, never essay text.
 */
public abstract class LlmJudge implements Judge {

  protected final LlmSettings settings;
  private final ProviderClient client;

  protected LlmJudge(LlmSettings settings, String path, Map<String, String> headers) {
    this.settings = settings;
    this.client = new ProviderClient(settings.endpoint(path), headers, settings.timeout(), settings.retry(),
        new RequestPacer(settings.requestsPerMinute()), this::permanent429);
  }

  /** The request body for one pair. */
  protected abstract JsonNode body(PromptTemplate.Rendered prompt, PairToJudge pair, String model);

  /** Interprets a 200 body already parsed as JSON. */
  protected abstract JudgeOutcome success(JsonNode body, String model, String hash, long millis);

  /** The provider's error type and message from an error body, for a detail line. */
  protected abstract String errorSummary(JsonNode body);

  /** A non-retryable 4xx that means the account is out of credit. */
  protected abstract boolean quotaExhausted(int status, String body);

  protected boolean permanent429(String body) {
    return quotaExhausted(429, body);
  }

  @Override
  public CompletionStage<JudgeOutcome> judge(PairToJudge pair) {
    String model = pair.model().orElse(settings.model());
    PromptTemplate.Rendered prompt = settings.prompt().render(pair);
    long started = System.nanoTime();
    byte[] body;
    try {
      body = WireJson.MAPPER.writeValueAsBytes(body(prompt, pair, model));
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    return client.post(body).thenApply(result -> {
      long millis = (System.nanoTime() - started) / 1_000_000;
      if (result instanceof ProviderClient.GaveUp g) {
        return failure(g.code(), g.detail(), model, millis, prompt.hash());
      }
      ProviderClient.Response r = (ProviderClient.Response) result;
      if (r.status() / 100 != 2) {
        return failure(classify(r), "HTTP " + r.status() + " from " + client.uri().getHost() + ": "
            + summary(r.body()), model, millis, prompt.hash());
      }
      JsonNode json;
      try {
        json = WireJson.MAPPER.readTree(r.body());
      } catch (IOException e) {
        json = null;
      }
      if (json == null || !json.isObject()) {
        return failure(FailureCode.INVALID_RESPONSE, "HTTP 200 from " + client.uri().getHost()
            + " but the body is not a JSON object (content-type " + r.headers().firstValue("content-type")
                .orElse("none")
            + ")", model, millis, prompt.hash());
      }
      return success(json, model, prompt.hash(), millis);
    });
  }

  private FailureCode classify(ProviderClient.Response r) {
    if (quotaExhausted(r.status(), r.body())) {
      return FailureCode.QUOTA_EXCEEDED;
    }
    return r.status() == 401 || r.status() == 403 ? FailureCode.AUTHENTICATION_ERROR : FailureCode.INVALID_REQUEST;
  }

  private String summary(String body) {
    try {
      JsonNode json = WireJson.MAPPER.readTree(body);
      if (json != null && json.isObject()) {
        return errorSummary(json);
      }
    } catch (IOException e) {
      // not JSON: shown shortened below
    }
    return ProviderClient.brief(body);
  }

  protected JudgeOutcome.Failure failure(FailureCode code, String detail, String model, long millis, String hash) {
    return failure(code, detail, model, TokenUsage.NONE, millis, hash);
  }

  protected JudgeOutcome.Failure failure(FailureCode code, String detail, String model, TokenUsage usage, long millis,
      String hash) {
    String safe = settings.apiKey() == null || settings.apiKey().isEmpty() ? detail
        : detail.replace(settings.apiKey(), "***");
    return new JudgeOutcome.Failure(code, safe, model, usage, millis, hash);
  }

  protected static int integer(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isNumber() ? Math.max(0, v.asInt()) : 0;
  }

  @Override
  public void close() {
    client.close();
  }
}
