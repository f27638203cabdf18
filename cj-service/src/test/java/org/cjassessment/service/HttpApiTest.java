package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.auth.ApiKeyHash;
import org.cjassessment.service.auth.ApiKeys;
import org.cjassessment.service.http.HttpApi;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP API over a real socket and a real database: intake, queries, and a 4xx with a message for mistakes. */
@ExtendWith(SharedInfrastructure.class)
class HttpApiTest {

  private static ServiceHarness service;
  private static HttpApi api;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static final String TOKEN = ApiKeyHash.newToken();

  @BeforeAll
  static void start() {
    service = new ServiceHarness();
    api = HttpApi.start("127.0.0.1", 0, service.intake, service.views, () -> true,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        ApiKeys.parse(List.of(ApiKeyHash.of(TOKEN) + " school-1 org-1 teacher-1"), "test"), 1 << 20);
  }

  @AfterAll
  static void stop() {
    api.close();
    service.close();
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(uri("/api/v1/batches")).header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path, String accept) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(uri(path)).header("Accept", accept)
        .header("Authorization", "Bearer " + TOKEN).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + api.port() + path);
  }

  @Test
  void aBatchIsAcceptedOnceQueriedAndItsResultsServedAsJsonAndCsv() throws Exception {
    String body = """
        {"batch_id":"http-1","essays":[{"essay_id":"s00","text":"one"},{"essay_id":"s01","text":"two"},
          {"essay_id":"s02","text":"three"},{"essay_id":"s03","text":"four"}],
         "anchors":[{"essay_id":"a1","text":"anchor","grade":"E"},{"essay_id":"a6","text":"anchor","grade":"A"}],
         "max_comparisons":3}
        """;
    HttpResponse<String> created = post(body);
    assertThat(created.statusCode()).isEqualTo(202);
    assertThat(created.body()).contains("\"created\":true", "\"job_id\"");
    String job = created.body().replaceAll(".*\"job_id\":\"([0-9a-f-]+)\".*", "$1").trim();
    HttpResponse<String> again = post(body);
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.body()).contains("\"created\":false", "\"job_id\":\"" + job + "\"");

    HttpResponse<String> status = get("/api/v1/batches/" + job, "application/json");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("\"state\":\"COMPARING\"", "\"students\":4", "\"anchors\":2");
    assertThat(get("/api/v1/batches/" + job + "/results", "application/json").statusCode()).isEqualTo(409);

    long id = service.views.owned(java.util.UUID.fromString(job), "school-1").orElseThrow();
    for (int wave = 0; wave < 5 && !service.state(id).equals("COMPLETED"); wave++) {
      service.answerPending(id, new Random(wave));
      service.advancer.advance(id, Trigger.WAVE_COMPLETE);
    }
    HttpResponse<String> json = get("/api/v1/batches/" + job + "/results", "application/json");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.body()).contains("\"outcome\":\"COMPLETE_BUDGET_EXHAUSTED\"", "\"grade_probabilities\"");
    // Issue 7: the reliability beside the results, and each student's 95 % rank interval among the 4 students.
    var results = org.cjassessment.service.Json.mapper().readTree(json.body());
    assertThat(results.path("reliability").path("ssr").isNumber()).as(json.body()).isTrue();
    assertThat(results.path("reliability").has("split_half")).isTrue();
    for (var essay : results.path("essays")) {
      int rank = essay.path("rank").asInt();
      var interval = essay.path("rank_interval_95");
      assertThat(interval.size()).as(essay.toString()).isEqualTo(2);
      assertThat(interval.get(0).asInt()).isBetween(1, rank);
      assertThat(interval.get(1).asInt()).isBetween(rank, 4);
    }
    HttpResponse<String> csv = get("/api/v1/batches/" + job + "/results", "text/csv");
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    String[] lines = csv.body().split("\n");
    assertThat(lines[0]).startsWith("essay_id,rank,score,se,");
    assertThat(lines).hasSize(1 + 6);
  }

  @Test
  void mistakesGetA4xxWithAMessage() throws Exception {
    assertError(post("{not json"), 400, "body is not valid JSON");
    assertError(post("{\"essays\":[]}"), 400, "batch_id is missing");
    assertError(post("{\"batch_id\":\"x0\",\"essays\":[]}"), 400, "no student essays");
    assertError(post("{\"batch_id\":\"x\",\"essays\":[{\"essay_id\":\"a\"}]}"), 400, "text is missing");
    assertError(post("""
        {"batch_id":"x2","essays":[{"essay_id":"a","text":"t"}],"anchors":[{"essay_id":"b","text":"t","grade":"Q"}]}
        """), 400, "anchor 'b' has grade 'Q', not on scale swedish_8_anchor");
    assertError(post("{\"batch_id\":\"x3\",\"essays\":[{\"essay_id\":\"a\",\"text\":\"t\"},"
        + "{\"essay_id\":\"a\",\"text\":\"u\"}]}"), 400, "appears twice");
    assertError(post("{\"batch_id\":\"x4\",\"essays\":[],\"grade_scale\":\"nope\"}"), 400, "grade_scale 'nope'");
    assertError(post("{\"batch_id\":\"x5\",\"essays\":[],\"max_comparisons\":-3}"), 400, "max_comparisons");
    assertError(get("/api/v1/batches/" + java.util.UUID.randomUUID(), "application/json"), 404, "no such job");
    assertError(get("/api/v1/batches/abc", "application/json"), 404, "no such job");
    assertError(get("/api/v1/nothing", "application/json"), 404, "no such endpoint");
    int batches = service.jdbi.withHandle(h -> h.createQuery(
        "SELECT count(*) FROM batches WHERE upstream_batch_id LIKE 'x%'").mapTo(Integer.class).one());
    assertThat(batches).isZero();
  }

  @Test
  void healthReadinessAndMetricsAnswer() throws Exception {
    assertThat(get("/healthz", "*/*").body()).contains("UP");
    assertThat(get("/readyz", "*/*").statusCode()).isEqualTo(200);
    assertThat(get("/metrics", "*/*").statusCode()).isEqualTo(200);
  }

  private static void assertError(HttpResponse<String> response, int status, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains("\"error\"", message);
  }
}
