package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.auth.ApiKeyHash;
import org.cjassessment.service.auth.ApiKeys;
import org.cjassessment.service.http.HttpApi;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API as a hostile or careless client meets it, over a real socket and a real database: API keys, one
 * client's batches invisible to another, billing identity from the key, unguessable job ids, one batch per batch id
 * (409 for other content), every intake limit, no essay text in any error, CSV cells that are not formulas.
 */
@ExtendWith(SharedInfrastructure.class)
class HttpSecurityTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String TOKEN_A = ApiKeyHash.newToken();
  private static final String TOKEN_B = ApiKeyHash.newToken();
  private static final int MAX_BODY = 64 * 1024;

  private static ServiceHarness service;
  private static HttpApi api;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    // Small limits, so that each is easy to cross: 6 essays, 100 characters, 120 bytes, 50 comparisons.
    service = new ServiceHarness(ServiceSettings.defaults().withLimits(6, 100, 120, 50));
    Path keys = dir.resolve("keys");
    Files.writeString(keys, """
        # test keys
        %s school-a org-a teacher-a
        %s school-b - teacher-b
        """.formatted(ApiKeyHash.of(TOKEN_A), ApiKeyHash.of(TOKEN_B)));
    api = HttpApi.start("127.0.0.1", 0, service.intake, service.views, () -> true,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiKeys.load(keys), MAX_BODY);
  }

  @AfterAll
  static void stop() {
    api.close();
    service.close();
  }

  @Test
  void withoutAValidKeyTheApiAnswers401WithABearerChallengeAndCreatesNothing() throws Exception {
    String body = batch("anon-1", 3, "");
    HttpResponse<String> none = send(post(body));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    assertThat(none.body()).contains("\"error\"", "API key is required");
    HttpResponse<String> wrong = send(post(body).header("Authorization", "Bearer " + ApiKeyHash.newToken()));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
    HttpResponse<String> basic = send(post(body).header("Authorization", "Basic dXNlcjpwYXNz"));
    assertThat(basic.statusCode()).isEqualTo(401);
    HttpResponse<String> status = send(get("/api/v1/batches/" + UUID.randomUUID()));
    assertThat(status.statusCode()).isEqualTo(401);
    assertThat(count("upstream_batch_id = 'anon-1'")).isZero();
    // Probes and scrapers carry no keys.
    assertThat(send(get("/healthz")).statusCode()).isEqualTo(200);
    assertThat(send(get("/readyz")).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientSeesOnlyItsOwnBatchesAndBatchIdsAreScopedToTheClient() throws Exception {
    String body = batch("shared-id", 3, "");
    String jobA = jobId(send(as(TOKEN_A, post(body))));
    String jobB = jobId(send(as(TOKEN_B, post(body))));
    assertThat(jobB).isNotEqualTo(jobA);
    assertThat(send(as(TOKEN_A, get("/api/v1/batches/" + jobA))).statusCode()).isEqualTo(200);
    HttpResponse<String> other = send(as(TOKEN_B, get("/api/v1/batches/" + jobA)));
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.body()).contains("no such job").doesNotContain(jobA);
    assertThat(send(as(TOKEN_B, get("/api/v1/batches/" + jobA + "/results"))).statusCode()).isEqualTo(404);
    // the HTML report sits under the same authentication and scoping as the results
    assertThat(send(as(TOKEN_B, get("/api/v1/batches/" + jobA + "/report"))).statusCode()).isEqualTo(404);
    assertThat(send(get("/api/v1/batches/" + jobA + "/report")).statusCode()).isEqualTo(401);
    assertThat(send(as(TOKEN_A, get("/api/v1/batches/" + jobA + "/report"))).statusCode()).isEqualTo(409);
    assertThat(count("upstream_batch_id = 'shared-id'")).isEqualTo(2);
  }

  @Test
  void jobIdsAreRandomUuidsNotSequentialNumbers() throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(UUID.fromString(jobId(send(as(TOKEN_A, post(batch("ids-" + i, 2, "")))))));
    }
    assertThat(ids).allSatisfy(id -> assertThat(id.version()).isEqualTo(4)).doesNotHaveDuplicates();
  }

  @Test
  void billingIdentityComesFromTheKeyNotFromTheBody() throws Exception {
    String body = batch("billing-1", 3,
        ",\"max_comparisons\":6,\"user_id\":\"mallory\",\"org_id\":\"someone-else\"");
    String job = jobId(send(as(TOKEN_A, post(body))));
    long id = service.views.owned(UUID.fromString(job), "school-a").orElseThrow();
    for (int wave = 0; wave < 10 && !service.state(id).equals("COMPLETED"); wave++) {
      service.answerPending(id, new Random(wave));
      service.advancer.advance(id, Trigger.WAVE_COMPLETE);
    }
    assertThat(service.state(id)).isEqualTo("COMPLETED");
    JsonNode bill = service.outboxEvents().stream()
        .filter(e -> e.eventType().equals("huleedu.resource.consumption.v1") && e.aggregateId().equals("billing-1"))
        .map(e -> read(e.payload()).get("data")).findFirst().orElseThrow();
    assertThat(bill.get("user_id").asText()).isEqualTo("teacher-a");
    assertThat(bill.get("org_id").asText()).isEqualTo("org-a");
  }

  @Test
  void theSameBatchIdWithOtherContentIsRefusedWith409AndTheSameContentFindsTheJob() throws Exception {
    String body = batch("dup-1", 3, "");
    HttpResponse<String> first = send(as(TOKEN_A, post(body)));
    assertThat(first.statusCode()).isEqualTo(202);
    HttpResponse<String> again = send(as(TOKEN_A, post(body)));
    assertThat(again.body()).contains("\"created\":false").contains(jobId(first));
    HttpResponse<String> changed = send(as(TOKEN_A, post(body.replace("Essay number 1", "Essay number one"))));
    assertThat(changed.statusCode()).isEqualTo(409);
    assertThat(changed.body()).contains("batch_id 'dup-1' already has job", "different content")
        .doesNotContain("Essay number");
    assertThat(send(as(TOKEN_A, post(batch("dup-1", 3, ",\"max_comparisons\":7")))).statusCode()).isEqualTo(409);
    assertThat(count("upstream_batch_id = 'dup-1'")).isEqualTo(1);
  }

  @Test
  void everyLimitIsA4xxNamingTheLimitAndTheValue() throws Exception {
    String big = "{\"batch_id\":\"big\",\"essays\":[{\"essay_id\":\"a\",\"text\":\"" + "x".repeat(MAX_BODY) + "\"}]}";
    HttpResponse<String> tooLarge = send(as(TOKEN_A, post(big)));
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).contains("limit of " + MAX_BODY + " bytes", "CJ_MAX_REQUEST_BYTES");
    assertError(send(as(TOKEN_A, post(batch("many", 7, "")))), 400,
        "has 7 essays (students and anchors), more than the limit of 6 (CJ_MAX_ESSAYS_PER_BATCH)");
    assertError(send(as(TOKEN_A, post(oneEssay("long-chars", "y".repeat(101))))), 400,
        "101 characters, more than the limit of 100 (CJ_MAX_ESSAY_CHARS)");
    // 60 characters but 180 bytes in UTF-8: under the character limit, over the byte limit.
    assertError(send(as(TOKEN_A, post(oneEssay("long-bytes", "ö€".repeat(30) + "€".repeat(30))))), 400,
        "is 240 bytes in UTF-8, more than the limit of 120 (CJ_MAX_ESSAY_BYTES)");
    assertError(send(as(TOKEN_A, post(batch("budget", 3, ",\"max_comparisons\":51")))), 400,
        "max_comparisons 51 is outside 1..50 (CJ_MAX_COMPARISONS");
    assertError(send(as(TOKEN_A, post("{\"batch_id\":\"empty\",\"essays\":[]}"))), 400, "no student essays");
    assertError(send(as(TOKEN_A, post("{\"batch_id\":\"only-anchors\",\"essays\":[],\"anchors\":"
        + "[{\"essay_id\":\"a1\",\"text\":\"anchor\",\"grade\":\"E\"}]}"))), 400, "no student essays");
    assertThat(count("upstream_batch_id IN ('big', 'many', 'long-chars', 'long-bytes', 'budget', 'empty', "
        + "'only-anchors')")).isZero();
  }

  @Test
  void aRefusedBodyIsAnsweredEveryTimeAlsoOnAKeptAliveConnection() throws Exception {
    // The server answered before it had read the body and closed with the rest unread: the client then saw a reset
    // connection ("header parser received no bytes") instead of the refusal, about one request in six here.
    String big = "{\"batch_id\":\"big-again\",\"essays\":[{\"essay_id\":\"a\",\"text\":\""
        + "x".repeat(MAX_BODY) + "\"}]}";
    for (int attempt = 0; attempt < 40; attempt++) {
      assertThat(send(as(TOKEN_A, get("/api/v1/batches/" + UUID.randomUUID()))).statusCode()).isEqualTo(404);
      HttpResponse<String> r = send(as(TOKEN_A, post(big)));
      assertThat(r.statusCode()).as("attempt %d", attempt).isEqualTo(413);
      // Refused before the handler reads anything: no key (401), a body declared as something else (415).
      assertThat(send(post(big)).statusCode()).as("attempt %d", attempt).isEqualTo(401);
      assertThat(send(as(TOKEN_A, post(big).header("Content-Type", "text/plain"))).statusCode())
          .as("attempt %d", attempt).isEqualTo(415);
    }
  }

  @Test
  void malformedJsonErrorsQuoteNoEssayText() throws Exception {
    String secret = "Confidential";
    HttpResponse<String> r = send(as(TOKEN_A, post("{\"batch_id\":\"m\",\"essays\":[{\"essay_id\":\"s\",\"text\":"
        + secret + " words of a student essay}]}")));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("not valid JSON", "line 1, column").doesNotContain(secret);
    HttpResponse<String> truncated = send(as(TOKEN_A, post("{\"batch_id\":\"m\",\"essays\":[{\"text\":\""
        + secret + " and more")));
    assertThat(truncated.body()).contains("not valid JSON").doesNotContain(secret);
  }

  @Test
  void resultsRankStudentsAmongStudentsAsTheResultEventDoesAndCsvCellsAreNotFormulas() throws Exception {
    String body = """
        {"batch_id":"csv-1","essays":[{"essay_id":"=1","text":"one"},
          {"essay_id":"+2","text":"two"},{"essay_id":"@3","text":"three"},{"essay_id":"-4","text":"four"}],
         "anchors":[{"essay_id":"a1","text":"anchor low","grade":"E"},{"essay_id":"a6","text":"anchor high","grade":"A"}],
         "max_comparisons":12}
        """;
    String job = jobId(send(as(TOKEN_A, post(body))));
    long id = service.views.owned(UUID.fromString(job), "school-a").orElseThrow();
    for (int wave = 0; wave < 20 && !service.state(id).equals("COMPLETED"); wave++) {
      service.answerPending(id, new Random(wave));
      service.advancer.advance(id, Trigger.WAVE_COMPLETE);
    }
    JsonNode results = read(send(as(TOKEN_A, get("/api/v1/batches/" + job + "/results"))).body().getBytes());
    Map<String, Integer> httpRanks = new java.util.HashMap<>();
    results.get("essays").forEach(e -> httpRanks.put(e.get("essay_id").asText(), e.get("rank").asInt()));
    assertThat(httpRanks.values()).containsExactlyInAnyOrder(1, 2, 3, 4);
    assertThat(results.get("anchors")).hasSize(2)
        .allSatisfy(a -> assertThat(a.get("rank").isNull()).isTrue());
    JsonNode event = service.outboxEvents().stream()
        .filter(e -> e.eventType().equals("huleedu.assessment.result.published.v1"))
        .map(e -> read(e.payload()).get("data")).filter(d -> d.get("batch_id").asText().equals("csv-1"))
        .findFirst().orElseThrow();
    Map<String, Integer> eventRanks = new java.util.HashMap<>();
    event.get("essay_results").forEach(e -> eventRanks.put(e.get("essay_id").asText(), e.get("rank").asInt()));
    assertThat(httpRanks).isEqualTo(eventRanks);

    HttpResponse<String> csv = send(as(TOKEN_A, get("/api/v1/batches/" + job + "/results")
        .header("Accept", "text/csv")));
    List<String> firstCells = csv.body().lines().skip(1).map(l -> l.startsWith("\"") ? l.substring(1) : l)
        .map(l -> l.substring(0, 1)).collect(Collectors.toList());
    assertThat(firstCells).hasSize(6).noneMatch(c -> "=+-@".contains(c));
    assertThat(csv.body()).contains("'=1,", "'+2,", "'@3,", "'-4,");
    // Anchors come last and unranked; numbers stay numbers (a negative score is not prefixed).
    List<String> lines = csv.body().lines().toList();
    assertThat(lines.get(5)).startsWith("a").contains(",,");
    assertThat(csv.body()).containsPattern(",-\\d");
  }

  private static String batch(String batchId, int essays, String extra) {
    String list = IntStream.range(0, essays)
        .mapToObj(i -> "{\"essay_id\":\"s" + i + "\",\"text\":\"Essay number " + i + "\"}")
        .collect(Collectors.joining(","));
    return "{\"batch_id\":\"" + batchId + "\",\"essays\":[" + list + "]" + extra + "}";
  }

  private static String oneEssay(String batchId, String text) {
    return "{\"batch_id\":\"" + batchId + "\",\"essays\":[{\"essay_id\":\"s1\",\"text\":\"" + text + "\"},"
        + "{\"essay_id\":\"s2\",\"text\":\"short\"}]}";
  }

  private static HttpRequest.Builder post(String body) {
    return HttpRequest.newBuilder(uri("/api/v1/batches")).POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(uri(path)).GET();
  }

  private static HttpRequest.Builder as(String token, HttpRequest.Builder request) {
    return request.header("Authorization", "Bearer " + token);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + api.port() + path);
  }

  private static String jobId(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return read(response.body().getBytes()).get("job_id").asText();
  }

  private static JsonNode read(byte[] json) {
    try {
      return Json.mapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int count(String where) {
    return service.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM batches WHERE " + where)
        .mapTo(Integer.class).one());
  }

  private static void assertError(HttpResponse<String> response, int status, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains("\"error\"", message);
  }
}
