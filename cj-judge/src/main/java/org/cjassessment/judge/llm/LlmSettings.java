package org.cjassessment.judge.llm;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import org.cjassessment.judge.http.RetryPolicy;
import org.cjassessment.judge.prompt.PromptTemplate;

/**
 * What an LLM judge adapter needs.
 *
 * @param baseUrl the server root, with or without a trailing {@code /v1} ({@code https://api.openai.com},
 *     {@code https://openrouter.ai/api/v1}, {@code http://localhost:11434/v1})
 * @param temperature empty: not sent (the provider's default; some reasoning models accept no other)
 * @param logprobs ask for {@code logprobs}/{@code top_logprobs} (OpenAI-compatible only) to report P(A better)
 * @param requestsPerMinute 0 = no cap
 */
public record LlmSettings(URI baseUrl, String apiKey, String model, OptionalDouble temperature, int maxTokens,
    Duration timeout, RetryPolicy retry, int requestsPerMinute, boolean logprobs, PromptTemplate prompt) {

  public LlmSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(temperature, "temperature");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(prompt, "prompt");
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
    }
  }

  /** Defaults for tests and in-process use: 300 output tokens, 60 s timeout, default retries, no rate cap. */
  public static LlmSettings of(String baseUrl, String apiKey, String model) {
    return new LlmSettings(URI.create(baseUrl), apiKey, model, OptionalDouble.empty(), 300, Duration.ofSeconds(60),
        RetryPolicy.defaults(), 0, true, PromptTemplate.defaults());
  }

  public LlmSettings withRetry(RetryPolicy value) {
    return new LlmSettings(baseUrl, apiKey, model, temperature, maxTokens, timeout, value, requestsPerMinute,
        logprobs, prompt);
  }

  public LlmSettings withTimeout(Duration value) {
    return new LlmSettings(baseUrl, apiKey, model, temperature, maxTokens, value, retry, requestsPerMinute,
        logprobs, prompt);
  }

  public LlmSettings withRequestsPerMinute(int value) {
    return new LlmSettings(baseUrl, apiKey, model, temperature, maxTokens, timeout, retry, value, logprobs, prompt);
  }

  public LlmSettings withTemperature(double value) {
    return new LlmSettings(baseUrl, apiKey, model, OptionalDouble.of(value), maxTokens, timeout, retry,
        requestsPerMinute, logprobs, prompt);
  }

  public LlmSettings withLogprobs(boolean value) {
    return new LlmSettings(baseUrl, apiKey, model, temperature, maxTokens, timeout, retry, requestsPerMinute, value,
        prompt);
  }

  public LlmSettings withPrompt(PromptTemplate value) {
    return new LlmSettings(baseUrl, apiKey, model, temperature, maxTokens, timeout, retry, requestsPerMinute,
        logprobs, value);
  }

  /** {@code base + /v1/ + path}, accepting a base that already ends in {@code /v1}. */
  public URI endpoint(String path) {
    String base = baseUrl.toString().replaceAll("/+$", "");
    return URI.create((base.endsWith("/v1") ? base : base + "/v1") + "/" + path);
  }

  /** Never print the key. */
  @Override
  public String toString() {
    return "LlmSettings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "***")
        + "]";
  }
}
