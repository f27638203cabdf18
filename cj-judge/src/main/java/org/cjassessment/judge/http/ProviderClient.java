package org.cjassessment.judge.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.cjassessment.judge.FailureCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON to a provider with the retries every provider needs: 429 (waiting what the server asked, for every
 * request), 5xx and 529, timeouts and lost connections with exponential back-off and jitter, up to the policy's
 * attempts; requests paced by a {@link RequestPacer}. Non-blocking: waits are timers, calls are
 * {@code sendAsync}. Headers given here (the API key among them) are never logged.
 */
public final class ProviderClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderClient.class);

  /** The final answer: a response to interpret, or the transient failure that outlasted the retries. */
  public sealed interface Result {}

  public record Response(int status, HttpHeaders headers, String body, int attempts) implements Result {}

  public record GaveUp(FailureCode code, String detail, int attempts) implements Result {}

  private final HttpClient http;
  private final URI uri;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final RetryPolicy retry;
  private final RequestPacer pacer;
  private final Predicate<String> permanent429;
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "judge-http-timer");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param permanent429 true for a 429 body that retrying cannot fix (OpenAI's {@code insufficient_quota})
   */
  public ProviderClient(URI uri, Map<String, String> headers, Duration timeout, RetryPolicy retry,
      RequestPacer pacer, Predicate<String> permanent429) {
    this.uri = uri;
    this.headers = Map.copyOf(headers);
    this.timeout = timeout;
    this.retry = retry;
    this.pacer = pacer;
    this.permanent429 = permanent429;
    this.http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(Math.min(10, Math.max(1, timeout.toSeconds()))))
        // plain-http servers (vLLM, Ollama, llama.cpp, test fakes) speak HTTP/1.1; no h2c upgrade dance
        .version(uri.getScheme().equals("https") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
        .build();
  }

  public URI uri() {
    return uri;
  }

  public CompletableFuture<Result> post(byte[] json) {
    CompletableFuture<Result> result = new CompletableFuture<>();
    attempt(json, 1, result);
    return result;
  }

  private void attempt(byte[] json, int attempt, CompletableFuture<Result> result) {
    long delay = pacer.reserve();
    if (delay > 0) {
      schedule(() -> send(json, attempt, result), delay);
    } else {
      send(json, attempt, result);
    }
  }

  private void send(byte[] json, int attempt, CompletableFuture<Result> result) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .POST(HttpRequest.BodyPublishers.ofByteArray(json));
    headers.forEach(request::header);
    http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        // the request timeout covers the response headers; this bounds a body that trickles in forever
        .orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)
        .whenComplete((response, error) -> {
          try {
            if (error != null) {
              failed(json, attempt, result, unwrap(error));
            } else {
              answered(json, attempt, result, response);
            }
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
  }

  private void answered(byte[] json, int attempt, CompletableFuture<Result> result, HttpResponse<String> response) {
    int status = response.statusCode();
    boolean retryable = status == 429 ? !permanent429.test(response.body()) : status >= 500 || status == 408;
    if (!retryable) {
      result.complete(new Response(status, response.headers(), response.body(), attempt));
      return;
    }
    FailureCode code = status == 429 ? FailureCode.RATE_LIMIT : status == 408 ? FailureCode.TIMEOUT
        : FailureCode.SERVICE_UNAVAILABLE;
    String what = "HTTP " + status;
    if (attempt >= retry.maxAttempts()) {
      result.complete(new GaveUp(code, what + " on each of " + attempt + " attempts (last: " + brief(response.body())
          + ")", attempt));
      return;
    }
    Duration wait;
    Optional<Duration> asked = status == 429 || status == 503 || status == 529
        ? RateLimitHeaders.waitFrom(response.headers(), Instant.now()) : Optional.empty();
    if (asked.isPresent()) {
      wait = retry.serverWait(asked.get());
      if (status == 429) {
        pacer.holdFor(wait.toNanos()); // the limit is the account's: hold every request, not only this one
      }
    } else {
      wait = retry.backoff(attempt);
    }
    LOG.info("provider {} answered {} (attempt {}/{}); retrying in {} ms", uri.getHost(), what, attempt,
        retry.maxAttempts(), wait.toMillis());
    schedule(() -> attempt(json, attempt + 1, result), wait.toNanos());
  }

  private void failed(byte[] json, int attempt, CompletableFuture<Result> result, Throwable error) {
    boolean timedOut = error instanceof HttpTimeoutException || error instanceof java.util.concurrent.TimeoutException;
    if (!timedOut && !(error instanceof IOException)) {
      result.completeExceptionally(error);
      return;
    }
    FailureCode code = timedOut ? FailureCode.TIMEOUT : FailureCode.SERVICE_UNAVAILABLE;
    String what = timedOut ? "no answer within " + timeout.toSeconds() + " s"
        : "connection failed (" + error.getClass().getSimpleName() + ")";
    if (attempt >= retry.maxAttempts()) {
      result.complete(new GaveUp(code, what + " on each of " + attempt + " attempts", attempt));
      return;
    }
    Duration wait = retry.backoff(attempt);
    LOG.info("provider {}: {} (attempt {}/{}); retrying in {} ms", uri.getHost(), what, attempt, retry.maxAttempts(),
        wait.toMillis());
    schedule(() -> attempt(json, attempt + 1, result), wait.toNanos());
  }

  private void schedule(Runnable r, long nanos) {
    timers.schedule(r, nanos, TimeUnit.NANOSECONDS);
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  /** A provider's error body, shortened for a message (provider errors do not echo the prompt). */
  public static String brief(String body) {
    if (body == null || body.isBlank()) {
      return "empty body";
    }
    String flat = body.replaceAll("\\s+", " ").strip();
    return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }
}
