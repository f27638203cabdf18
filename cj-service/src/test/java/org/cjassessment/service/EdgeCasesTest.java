package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.service.batch.BatchRequest;
import org.cjassessment.service.intake.ContentUnavailableException;
import org.cjassessment.service.intake.HttpContentStore;
import org.cjassessment.service.intake.RequestEventParser;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Fewer than two student essays (upstream broke here), and essays fetched from a content store over HTTP. */
@ExtendWith(SharedInfrastructure.class)
class EdgeCasesTest {

  private static ServiceHarness service;
  private static HttpServer contentService;

  @BeforeAll
  static void start() throws Exception {
    service = new ServiceHarness();
    // A stand-in for the upstream Content Service, on its real wire protocol: GET {base}/{storage_id}.
    contentService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    contentService.createContext("/v1/content/", exchange -> {
      String id = exchange.getRequestURI().getPath().substring("/v1/content/".length());
      int status = id.startsWith("missing") ? 404 : id.startsWith("broken") ? 503 : 200;
      byte[] body = (status == 200 ? "Text of " + id : "no").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    contentService.start();
  }

  @AfterAll
  static void stop() {
    contentService.stop(0);
    service.close();
  }

  @Test
  void aSingleStudentEssayCompletesAsInsufficientWithCorrectEvents() throws Exception {
    String upstream = "single-" + UUID.randomUUID();
    long job = service.submit(upstream, 1, Map.of("a1", "E", "a6", "A"), 20);
    assertThat(service.state(job)).isEqualTo("COMPLETED");
    String outcome = service.jdbi.withHandle(h -> h.createQuery("SELECT outcome FROM batches WHERE id = :id")
        .bind("id", job).mapTo(String.class).one());
    assertThat(outcome).isEqualTo("COMPLETE_INSUFFICIENT_ESSAYS");
    assertThat(service.pending(job)).isEmpty();

    JsonNode thin = payload(EventKind.COMPLETED, upstream);
    assertThat(thin.get("status").asText()).isEqualTo("completed_successfully");
    JsonNode summary = thin.get("processing_summary");
    assertThat(summary.get("total_essays").asInt()).isEqualTo(1);
    assertThat(summary.get("successful_essay_ids").toString()).isEqualTo("[\"s00\"]");
    assertThat(summary.get("single_essay_batch").asBoolean()).isTrue();
    JsonNode rich = payload(EventKind.RESULT_PUBLISHED, Long.toString(job));
    assertThat(rich.get("essay_results")).hasSize(1);
    assertThat(rich.get("essay_results").get(0).get("essay_id").asText()).isEqualTo("s00");
    assertThat(rich.get("essay_results").get(0).get("rank").asInt()).isEqualTo(1);
    assertThat(rich.get("assessment_metadata").get("anchor_essays_used").asInt()).isEqualTo(2);
    assertThat(payload(EventKind.RESOURCE_CONSUMPTION, upstream).get("quantity").asInt()).isZero();
  }

  @Test
  void essaysByStorageReferenceAreFetchedFromTheContentStore() {
    HttpContentStore store = new HttpContentStore("http://127.0.0.1:" + contentService.getAddress().getPort()
        + "/v1/content", Duration.ofSeconds(5));
    RequestEventParser parser = new RequestEventParser(store);
    BatchRequest request = parser.parse(request("doc-1", "doc-2"));
    assertThat(request.essays()).extracting(e -> e.text()).containsExactly("Text of doc-1", "Text of doc-2");
    assertThat(request.essays()).extracting(e -> e.storageId()).containsExactly("doc-1", "doc-2");

    assertThatThrownBy(() -> parser.parse(request("doc-1", "missing-7")))
        .isInstanceOfSatisfying(ContentUnavailableException.class, e -> {
          assertThat(e.transientFailure()).isFalse();
          assertThat(e.getMessage()).contains("missing-7", "not found");
        });
    assertThatThrownBy(() -> parser.parse(request("broken-1")))
        .isInstanceOfSatisfying(ContentUnavailableException.class, e -> assertThat(e.transientFailure()).isTrue());
  }

  private static byte[] request(String... storageIds) {
    StringBuilder essays = new StringBuilder();
    for (int i = 0; i < storageIds.length; i++) {
      essays.append(i == 0 ? "" : ",").append("{\"essay_id\":\"e").append(i).append("\",\"text_storage_id\":\"")
          .append(storageIds[i]).append("\"}");
    }
    return ("{\"event_id\":\"" + UUID.randomUUID() + "\",\"correlation_id\":\"" + UUID.randomUUID() + "\","
        + "\"data\":{\"entity_id\":\"bos-9\",\"user_id\":\"u\",\"essays_for_cj\":[" + essays + "]}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode payload(EventKind kind, String aggregateId) throws Exception {
    byte[] bytes = service.jdbi.withHandle(h -> h.createQuery(
        "SELECT payload FROM outbox WHERE event_type = :t AND aggregate_id = :a")
        .bind("t", kind.defaultTopic()).bind("a", aggregateId).mapTo(byte[].class).one());
    return Json.mapper().readTree(bytes).get("data");
  }
}
