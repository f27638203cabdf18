package org.cjassessment.testing.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The common part of the fake LLM providers: a real HTTP server on a loopback socket that records every request
 * (body and headers), counts calls and concurrent calls, waits a configurable latency, checks the API key, and
 * plays scripted {@link Fault}s — each subclass answering in its provider's exact wire format.
 */
public abstract class FakeProviderServer implements AutoCloseable {

  protected static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ESSAYS = Pattern.compile("Essay A:\\s*(.*?)\\s*Essay B:\\s*(.*)", Pattern.DOTALL);

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger concurrent = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final Deque<Fault> script = new ArrayDeque<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Fault always;
  private volatile Duration latency = Duration.ZERO;
  private volatile String apiKey;
  private volatile BiFunction<String, String, Answer> answers = Answer::longerWins;

  protected FakeProviderServer(String path) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-llm-" + path);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext(path, this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:PORT} — what a client takes as its base URL. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every request received, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public RecordedRequest lastRequest() {
    return requests.get(requests.size() - 1);
  }

  public int calls() {
    return calls.get();
  }

  /** The most requests ever being answered at the same time. */
  public int maxConcurrent() {
    return maxConcurrent.get();
  }

  /** Requests carrying another key get a 401 in the provider's format. */
  public FakeProviderServer expectApiKey(String key) {
    this.apiKey = key;
    return this;
  }

  /** Every answer waits this long first. */
  public FakeProviderServer latency(Duration value) {
    this.latency = value;
    return this;
  }

  /** The next calls show these faults, one each, in order; then the server behaves. */
  public synchronized FakeProviderServer script(Fault... faults) {
    script.addAll(List.of(faults));
    return this;
  }

  /** Every call shows this fault (null: none). */
  public FakeProviderServer always(Fault fault) {
    this.always = fault;
    return this;
  }

  /** How the model decides, from the two essay texts (default {@link Answer#longerWins}). */
  public FakeProviderServer answers(BiFunction<String, String, Answer> value) {
    this.answers = value;
    return this;
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  /** The provider's answer, or its error, for one parsed request. */
  protected abstract Response respond(JsonNode request, Fault fault, Answer answer);

  /** The key the request presented (provider-specific header). */
  protected abstract String presentedKey(RecordedRequest request);

  /** The text the model was shown, in which the fake finds "Essay A: … Essay B: …". */
  protected abstract String userText(JsonNode request);

  protected record Response(int status, Map<String, String> headers, String body) {
    static Response json(int status, Object body, Map<String, String> headers) {
      try {
        return new Response(status, headers, JSON.writeValueAsString(body));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = concurrent.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    calls.incrementAndGet();
    try {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
      JsonNode json;
      try {
        json = JSON.readTree(body);
      } catch (IOException e) {
        json = null;
      }
      RecordedRequest recorded = new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          headers, body, json, Instant.now());
      requests.add(recorded);
      if (!latency.isZero() && closing.await(latency.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      Fault fault = nextFault();
      if (apiKey != null && !apiKey.equals(presentedKey(recorded))) {
        fault = Fault.UNAUTHORIZED;
      }
      if (fault == Fault.HANG) {
        closing.await(120, TimeUnit.SECONDS);
        return;
      }
      Answer answer = null;
      if (json != null && fault == null) {
        Matcher m = ESSAYS.matcher(userText(json));
        answer = m.find() ? answers.apply(m.group(1), m.group(2)) : answers.apply("", "");
      }
      Response response = json == null && fault == null
          ? Response.json(400, Map.of("error", Map.of("message", "body is not JSON")), Map.of())
          : respond(json, fault, answer);
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.getResponseHeaders().add("content-type",
          fault == Fault.MALFORMED_BODY ? "text/html" : "application/json");
      exchange.sendResponseHeaders(response.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away (it timed out): nothing to answer
    } finally {
      concurrent.decrementAndGet();
      exchange.close();
    }
  }

  private synchronized Fault nextFault() {
    Fault f = script.poll();
    return f != null ? f : always;
  }

  /** About four characters per token, as the providers' own rule of thumb. */
  protected static int tokens(String text) {
    return (text.length() + 3) / 4;
  }
}
