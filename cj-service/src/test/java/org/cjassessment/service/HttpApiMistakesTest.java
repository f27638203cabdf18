package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.cjassessment.service.auth.Authenticator;
import org.cjassessment.service.http.HttpApi;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests a client gets wrong in ways nobody listed: the wrong method, the wrong content type, a key given twice,
 * a fractional budget, overrides that are not an object, a bad element deep in a list. Each is a 4xx whose message
 * says what to change, and nothing of the request is stored.
 */
@ExtendWith(SharedInfrastructure.class)
class HttpApiMistakesTest {

  private static ServiceHarness service;
  private static HttpApi api;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String TWO =
      "\"essays\":[{\"essay_id\":\"a\",\"text\":\"one\"},{\"essay_id\":\"b\",\"text\":\"two\"}]";

  @BeforeAll
  static void start() {
    service = new ServiceHarness();
    api = HttpApi.start("127.0.0.1", 0, service.intake, service.views, () -> true,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Authenticator.none(), 1 << 20);
  }

  @AfterAll
  static void stop() {
    api.close();
    service.close();
  }

  private static HttpResponse<String> send(String method, String path, String contentType, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return send("POST", "/api/v1/batches", "application/json", body);
  }

  private static void assertError(HttpResponse<String> response, int status, String... fragments) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(response.body()).startsWith("{\"error\":\"").contains(fragments);
  }

  @Test
  void aKnownPathWithTheWrongMethodIs405WithTheMethodsItTakes() throws Exception {
    HttpResponse<String> put = send("PUT", "/api/v1/batches", "application/json", "{}");
    assertError(put, 405, "PUT is not allowed on /api/v1/batches; use POST");
    assertThat(put.headers().firstValue("Allow")).contains("POST");
    HttpResponse<String> delete = send("DELETE", "/api/v1/batches/" + java.util.UUID.randomUUID(), null, null);
    assertError(delete, 405, "DELETE is not allowed", "use GET");
    assertError(send("POST", "/healthz", null, "{}"), 405, "use GET");
    assertError(send("GET", "/api/v2/anything", null, null), 404, "no such endpoint");
  }

  @Test
  void aBodyDeclaredAsSomethingOtherThanJsonIs415() throws Exception {
    String body = "{\"batch_id\":\"ct-1\"," + TWO + "}";
    assertError(send("POST", "/api/v1/batches", "application/x-www-form-urlencoded", body), 415,
        "Content-Type application/x-www-form-urlencoded is not JSON; send the body as application/json");
    assertError(send("POST", "/api/v1/batches", "text/plain", body), 415, "text/plain is not JSON");
    assertThat(send("POST", "/api/v1/batches", "application/json; charset=utf-8", body).statusCode()).isEqualTo(202);
    assertThat(send("POST", "/api/v1/batches", null, "{\"batch_id\":\"ct-2\"," + TWO + "}").statusCode())
        .isEqualTo(202);
  }

  @Test
  void aKeyGivenTwiceIsRefusedRatherThanReadAsItsLastValue() throws Exception {
    assertError(post("{\"batch_id\":\"dup-1\",\"batch_id\":\"dup-2\"," + TWO + "}"), 400,
        "body is not valid JSON (a field given twice at line 1");
  }

  @Test
  void aFractionalBudgetIsRefusedRatherThanRoundedDown() throws Exception {
    assertError(post("{\"batch_id\":\"frac\",\"max_comparisons\":2.5," + TWO + "}"), 400,
        "max_comparisons must be a positive integer, got 2.5");
  }

  @Test
  void overridesThatAreNotAnObjectAreRefusedRatherThanDropped() throws Exception {
    assertError(post("{\"batch_id\":\"llm\",\"llm_config_overrides\":\"hot\"," + TWO + "}"), 400,
        "llm_config_overrides must be an object");
  }

  @Test
  void aBadElementOfAListIsNamedByItsIndex() throws Exception {
    assertError(
        post("{\"batch_id\":\"idx-1\",\"essays\":[{\"essay_id\":\"a\",\"text\":\"one\"},{\"essay_id\":\"b\"}]}"),
        400, "essays[1]: text is missing");
    assertError(post("{\"batch_id\":\"idx-2\",\"essays\":[\"just text\",{\"essay_id\":\"b\",\"text\":\"two\"}]}"),
        400, "essays[0] must be an object {essay_id, text}");
    assertError(post("{\"batch_id\":\"idx-3\"," + TWO + ",\"anchors\":[{\"essay_id\":\"x\",\"text\":\"t\"}]}"), 400,
        "anchors[0]: grade is missing");
    int stored = service.jdbi.withHandle(h -> h.createQuery(
        "SELECT count(*) FROM batches WHERE upstream_batch_id IN ('dup-1', 'dup-2', 'frac', 'llm', 'idx-1', 'idx-2', "
            + "'idx-3')")
        .mapTo(Integer.class).one());
    assertThat(stored).isZero();
  }

  @Test
  void aNulCharacterThePostgresTextTypeCannotHoldIsA400NotA500() throws Exception {
    assertError(post("{\"batch_id\":\"nul-1\",\"essays\":[{\"essay_id\":\"a\",\"text\":\"secret\\u0000essay\"},"
        + "{\"essay_id\":\"b\",\"text\":\"two\"}]}"), 400, "the text of essay 'a' contains a NUL character");
    assertError(post("{\"batch_id\":\"nul-2\",\"essays\":[{\"essay_id\":\"a\\u0000\",\"text\":\"one\"},"
        + "{\"essay_id\":\"b\",\"text\":\"two\"}]}"), 400, "essay_id contains a NUL character");
    assertError(post("{\"batch_id\":\"nul\\u00003\"," + TWO + "}"), 400, "batch_id contains a NUL character");
    assertError(post("{\"batch_id\":\"nul-4\",\"llm_config_overrides\":{\"model_override\":\"m\\u0000\"}," + TWO
        + "}"), 400, "llm_config_overrides contains a NUL character");
    HttpResponse<String> text = post("{\"batch_id\":\"nul-5\",\"essays\":[{\"essay_id\":\"a\",\"text\":\"secret\\u0000"
        + "essay\"},{\"essay_id\":\"b\",\"text\":\"two\"}]}");
    assertThat(text.body()).doesNotContain("secret");
    int stored = service.jdbi.withHandle(h -> h.createQuery(
        "SELECT count(*) FROM batches WHERE upstream_batch_id LIKE 'nul%'").mapTo(Integer.class).one());
    assertThat(stored).isZero();
  }

  @Test
  void theResultsOfAFailedBatchAreNotPromisedForLater() {
    assertThat(new org.cjassessment.service.batch.BatchViews.NotReady("j1",
        org.cjassessment.core.batch.BatchState.FAILED).getMessage())
        .isEqualTo("job j1 is FAILED: a failed batch has no results; its status (GET /api/v1/batches/j1) says why");
    assertThat(new org.cjassessment.service.batch.BatchViews.NotReady("j2",
        org.cjassessment.core.batch.BatchState.COMPARING).getMessage()).endsWith("results exist once it is COMPLETED");
  }
}
