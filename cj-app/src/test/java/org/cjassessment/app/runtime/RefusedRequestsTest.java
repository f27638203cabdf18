package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.service.Json;
import org.cjassessment.service.Topics;
import org.cjassessment.service.batch.RejectedRequests;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests on the real broker that must not become batches, or must not become a second one: a request that can
 * never be served ends its upstream batch with exactly one failure event (ELS must not wait forever) and a dead
 * letter; a re-published request (new event id) is the same batch; a copy with other content is dead-lettered and
 * changes nothing; the same batch sent over HTTP is the same batch; no dead letter quotes essay text.
 */
@ExtendWith(SharedInfrastructure.class)
class RefusedRequestsTest {

  private static final String SECRET = "Zanzibarian";

  private static Topics topics;
  private static ServiceRuntime service;
  private static TestJudge judge;
  private static KafkaProducer<byte[], byte[]> producer;
  private static HttpServer contentService;

  @BeforeAll
  static void start() throws Exception {
    // The upstream Content Service's wire protocol, GET {base}/{storage_id}: "missing-*" ids are 404.
    contentService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    contentService.createContext("/content/", exchange -> {
      String id = exchange.getRequestURI().getPath().substring("/content/".length());
      byte[] body = ("Text of " + id).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(id.startsWith("missing") ? 404 : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    contentService.start();
    topics = Runtimes.freshTopics("refused");
    TestDatabase db = SharedInfrastructure.freshDatabase();
    Map<String, String> env = new HashMap<>(Runtimes.environment(db, topics, "refused"));
    env.put("CJ_CONTENT_SERVICE_URL", "http://127.0.0.1:" + contentService.getAddress().getPort() + "/content");
    service = ServiceRuntime.start(ServiceConfig.fromEnvironment(env));
    judge = new TestJudge(SharedInfrastructure.bootstrapServers(), topics.comparisonRequests(), 1);
    producer = Runtimes.producer();
  }

  @AfterAll
  static void stop() throws Exception {
    producer.close();
    judge.close();
    service.close();
    contentService.stop(0);
  }

  @Test
  void aRequestThatCanNeverBeServedEndsItsUpstreamBatchWithOneFailureEventAndADeadLetter() throws Exception {
    String empty = request("no-essays", "evt-1", "", "swedish_8_anchor");
    send(empty);
    send(empty.replace("evt-1", "evt-2")); // the upstream relay re-publishes with a new event id
    send(request("bad-scale", "evt-3", essays(3), "no_such_scale"));
    send(request("missing-text", "evt-4", "{\"essay_id\":\"m1\",\"text_storage_id\":\"missing-1\"},"
        + "{\"essay_id\":\"m2\",\"text_storage_id\":\"present-2\"}", "swedish_8_anchor"));
    Runtimes.send(producer, topics.requests(), ("{\"event_id\":\"e\",\"data\":{\"essays_for_cj\":[{\"text\":"
        + SECRET + " is the first word}]}}").getBytes(StandardCharsets.UTF_8));

    await().atMost(Duration.ofSeconds(60)).until(() -> Runtimes.readAll(topics.deadLetters()).size() >= 5);
    Runtimes.awaitOutboxDrained(service.jdbi());
    List<ConsumerRecord<byte[], byte[]>> failed = Runtimes.readAll(topics.failed());
    Map<String, JsonNode> byBatch = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : failed) {
      JsonNode envelope = Json.mapper().readTree(r.value());
      assertThat(byBatch.put(envelope.get("data").get("entity_id").asText(), envelope)).as("one per batch").isNull();
    }
    assertThat(byBatch).containsOnlyKeys("no-essays", "bad-scale", "missing-text");
    JsonNode noEssays = byBatch.get("no-essays");
    assertThat(noEssays.get("event_id").asText()).isEqualTo(RejectedRequests.eventId("no-essays").toString());
    assertThat(noEssays.at("/data/cj_assessment_job_id").asText()).isEqualTo("INITIALIZATION_FAILED");
    assertThat(noEssays.at("/data/status").asText()).isEqualTo("failed_critically");
    assertThat(noEssays.at("/data/system_metadata/error_info/error_code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(noEssays.at("/data/system_metadata/error_info/error_message").asText())
        .contains("no student essays");
    assertThat(byBatch.get("bad-scale").at("/data/system_metadata/error_info/error_message").asText())
        .contains("grade_scale 'no_such_scale' is unknown");
    assertThat(byBatch.get("missing-text").at("/data/system_metadata/error_info/error_code").asText())
        .isEqualTo("CONTENT_UNAVAILABLE");

    List<String> reasons = Runtimes.readAll(topics.deadLetters()).stream()
        .map(r -> Runtimes.header(r, "dlq_reason")).toList();
    assertThat(reasons).hasSize(5).noneMatch(r -> r.contains(SECRET))
        .anyMatch(r -> r.contains("not valid JSON") && r.contains("line 1, column"));
    assertThat(FullLifecycleTest.batches(service)).isZero();
  }

  @Test
  void oneBatchPerUpstreamBatchWhateverTheEventIdOverKafkaAndHttp() throws Exception {
    String first = request("bos-7", "evt-a", essays(4), "swedish_8_anchor");
    send(first);
    send(first.replace("evt-a", "evt-b")); // a re-publish: same content, new event id
    send(first.replace("evt-a", "evt-c").replace("Essay 2 text", "Essay two text")); // same id, other content
    await().atMost(Duration.ofSeconds(90)).until(() -> FullLifecycleTest.state(service, "bos-7")
        .equals("COMPLETED"));
    // The same batch over HTTP (authentication off on loopback: the platform client, as the Kafka intake).
    HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + service.httpPort() + "/api/v1/batches"))
        .POST(HttpRequest.BodyPublishers.ofString("""
            {"batch_id":"bos-7","essays":[%s],"max_comparisons":6,"language":"en","user_id":"teacher-1"}
            """.formatted(essays(4)))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(http.statusCode()).as(http.body()).isEqualTo(202);
    assertThat(http.body()).contains("\"created\":false");
    Runtimes.awaitOutboxDrained(service.jdbi());

    int batches = service.jdbi().withHandle(h -> h.createQuery(
        "SELECT count(*) FROM batches WHERE upstream_batch_id = 'bos-7'").mapTo(Integer.class).one());
    assertThat(batches).isEqualTo(1);
    assertThat(count(topics.completed(), "bos-7")).isEqualTo(1);
    assertThat(count(topics.resourceConsumption(), "bos-7")).isEqualTo(1);
    assertThat(count(topics.failed(), "bos-7")).isZero();
    assertThat(Runtimes.readAll(topics.deadLetters()).stream().map(r -> Runtimes.header(r, "dlq_reason")))
        .anyMatch(r -> r.contains("batch_id 'bos-7' already has job") && r.contains("different content"));
  }

  private static long count(String topic, String key) {
    return Runtimes.readAll(topic).stream().filter(r -> r.key() != null && new String(r.key()).equals(key)).count();
  }

  private static void send(String json) {
    Runtimes.send(producer, topics.requests(), json.getBytes(StandardCharsets.UTF_8));
  }

  private static String essays(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : ",").append("{\"essay_id\":\"e").append(i).append("\",\"text\":\"Essay ").append(i)
          .append(" text\"}");
    }
    return s.toString();
  }

  /** An upstream request envelope with the given essays_for_cj array. */
  private static String request(String batchId, String eventId, String essays, String scale) {
    return """
        {"event_id":"%s","event_type":"huleedu.els.cj_assessment.requested.v1",
         "event_timestamp":"2026-03-02T09:04:00.123456-05:00","source_service":"essay_lifecycle_service","schema_version":1,"correlation_id":null,"data_schema_uri":null,
         "metadata":{"max_comparisons":6},
         "data":{"event_name":"els.cj_assessment.requested","entity_id":"%s","entity_type":"batch","parent_id":null,
                 "essays_for_cj":[%s],"language":"en","grade_scale":"%s","user_id":"teacher-1","org_id":"school-1"}}
        """.formatted(eventId, batchId, essays, scale);
  }
}
