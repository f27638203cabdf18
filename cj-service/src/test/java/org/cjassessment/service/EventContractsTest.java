package org.cjassessment.service;

import org.cjassessment.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.service.batch.BatchRequest;
import org.cjassessment.service.batch.EssayInput;
import org.cjassessment.service.batch.EventFactory;
import org.cjassessment.service.batch.InvalidRequestException;
import org.cjassessment.service.batch.RejectedRequests;
import org.cjassessment.core.pairs.SelectorKind;
import org.cjassessment.outbox.JdbiOutboxStore;
import org.cjassessment.service.callback.ComparisonResultParser;
import org.cjassessment.service.intake.ContentUnavailableException;
import org.cjassessment.service.intake.RequestEventParser;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The event contracts (contracts/*.schema.json) against the code. A fixed clock and a seeded judge make the real
 * service produce the same events on every run: the golden request event becomes batch 1 of a fresh database, is
 * judged to completion, and its completed / result / resource-consumption events and first comparison request are
 * compared with the golden files; a second batch whose every comparison errors produces the failure event. Every
 * golden file and every event written to the outbox must match its schema; the schemas must reject known-bad
 * events (numeric grade "10", confidence 9.5, winner "Essay C", no user_id), and so must our parsers.
 *
 * <p>Normalised before comparison (the only values that differ between runs): in the comparison request, the
 * per-comparison correlation id (random by design, {@code UUID.randomUUID()} at dispatch; envelope and payload) and
 * the event id derived from it. Both are first checked — envelope and payload ids agree, the event id is the UUIDv5
 * of {@code "cj:<job>:comparison_requested:<correlation id>:1"} — then replaced by fixed placeholders. Nothing else
 * is normalised: timestamps, durations and the job id are deterministic here.
 *
 * <p>Regenerate the generated goldens with {@code ./mvnw -pl cj-service -am test -Dtest=EventContractsTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true} and review the diff.
 */
@ExtendWith(SharedInfrastructure.class)
class EventContractsTest {

  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  static final String REQUEST = "huleedu.els.cj_assessment.requested.v1";
  static final String CALLBACK = "huleedu.llm_provider.comparison_result.v1";
  static final String CORRELATION_PLACEHOLDER = "00000000-0000-4000-8000-000000000001";
  static final String EVENT_ID_PLACEHOLDER = "00000000-0000-5000-8000-000000000002";
  static final String GOLDEN_BATCH = "bos-2026-0042";
  static final String FAILING_BATCH = "bos-2026-0043";
  static final String REFUSED_BATCH = "bos-2026-0046";

  /** The judge's view of quality (logits): mostly sensible, upsets drawn from a seeded RNG. */
  static final Map<String, Double> QUALITY = Map.ofEntries(
      Map.entry("essay-01", 0.9), Map.entry("essay-02", -0.6), Map.entry("essay-03", 1.7),
      Map.entry("essay-04", 0.3), Map.entry("essay-05", -1.4), Map.entry("anchor-E", -1.2),
      Map.entry("anchor-C", 0.4), Map.entry("anchor-A", 2.2),
      Map.entry("n1", -0.8), Map.entry("n2", 0.2), Map.entry("n3", 1.1), Map.entry("n4", 0.6),
      Map.entry("anchor-3", -0.9), Map.entry("anchor-5", 0.1), Map.entry("anchor-8", 1.5));

  private static ServiceHarness service;
  private static long goldenJob;
  private static long failingJob;
  private static long nationalJob;
  private static long singleJob;
  private static final List<byte[]> CALLBACKS_SENT = new ArrayList<>();

  @BeforeAll
  static void produceEvents() {
    // the goldens pin the events' shape and figures, not the default selector's pairs: coverage is deterministic
    // from the history alone
    service = new ServiceHarness(ServiceSettings.defaults().withPairing(SelectorKind.COVERAGE, 0),
        new MutableClock(START));
    // 1. The golden request, exactly as Kafka would deliver it (one essay by content-store reference).
    RequestEventParser parser = new RequestEventParser(id -> {
      if (id.equals("content-7f3a9c")) {
        return "Uniforms promise equality, but equality of clothing is not equality of opportunity. Schools should "
            + "spend the money on books instead, and let students dress as they wish within basic rules.";
      }
      throw new ContentUnavailableException("unknown storage id " + id, false);
    });
    goldenJob = service.intake.submit(parser.parse(Goldens.bytes(REQUEST))).jobId();
    judgeToTheEnd(goldenJob, new Random(2026), false);
    // 2. Every answer an error: the batch fails with LOW_SUCCESS_RATE.
    failingJob = submit(FAILING_BATCH, List.of("f1", "f2", "f3", "f4"), Map.of(), "swedish_8_anchor", 4);
    judgeToTheEnd(failingJob, new Random(1), true);
    // 3. Validated, not golden: the numeric national scale (upstream's result event rejected it) ...
    nationalJob = submit("bos-2026-0044", List.of("n1", "n2", "n3", "n4"),
        Map.of("anchor-3", "3", "anchor-5", "5", "anchor-8", "8"), "eng5_np_national_9_step", 16);
    judgeToTheEnd(nationalJob, new Random(3), false);
    // ... and a one-essay batch, completed at intake with nothing judged.
    singleJob = submit("bos-2026-0045", List.of("lonely"), Map.of(), "swedish_8_anchor", 0);
    // 4. A request refused at intake (no student essays): no batch, but its upstream batch gets its failure event.
    byte[] refused = Goldens.bytes(REQUEST);
    String noEssays = new String(refused, java.nio.charset.StandardCharsets.UTF_8)
        .replaceAll("(?s)\"essays_for_cj\": \\[.*?\\],", "\"essays_for_cj\": [],")
        .replace(GOLDEN_BATCH, REFUSED_BATCH);
    assertThatThrownBy(() -> service.intake.submit(parser.parse(noEssays.getBytes(
        java.nio.charset.StandardCharsets.UTF_8)))).hasMessageContaining("no student essays");
    new RejectedRequests(service.jdbi, service.store, new EventFactory(service.settings), new JdbiOutboxStore(),
        service.clock).fail(
            RequestEventParser.identify(noEssays.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .orElseThrow(),
            org.cjassessment.core.batch.FailureReason.INVALID_REQUEST,
            "the batch has no student essays; send at least one");
    if (Goldens.UPDATE) {
      generatedGoldens().forEach(Goldens::write);
    }
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close(); // validates every outbox event once more
    }
  }

  @Test
  void contractsAreWellFormedDraft202012Schemas() {
    Map<String, Path> files = EventContracts.files();
    Set<String> expected = new TreeSet<>();
    Arrays.stream(EventKind.values()).forEach(k -> expected.add(k.defaultTopic()));
    expected.add(Topics.defaults().requests());
    expected.add(Topics.defaults().callbacks());
    assertThat(files.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    for (String topic : files.keySet()) {
      JsonNode schema = EventContracts.schemaJson(topic);
      assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(EventContracts.metaSchemaErrors(topic)).as("meta-schema errors of %s", topic).isEmpty();
      assertThat(EventContracts.schema(topic)).as("%s compiles (no unknown keywords)", topic).isNotNull();
      assertThat(schema.at("/properties/event_type/const").asText()).isEqualTo(topic);
    }
  }

  @Test
  void gradesAreTheUnionOfTheThreeScalesPlusU() {
    Set<String> union = new TreeSet<>();
    for (GradeScale scale : GradeScale.values()) {
      union.addAll(scale.allGrades()); // includes the below-lowest grades F and 0
    }
    Set<String> withU = new TreeSet<>(union);
    withU.add("U");
    assertThat(enumOf(EventContracts.schemaJson(EventKind.RESULT_PUBLISHED.defaultTopic()).at("/$defs/grade/enum")))
        .isEqualTo(withU);
    assertThat(enumOf(EventContracts.schemaJson(REQUEST)
        .at("/$defs/payload/properties/anchors/items/properties/grade/enum"))).isEqualTo(union);
    assertThat(enumOf(EventContracts.schemaJson(EventKind.RESULT_PUBLISHED.defaultTopic())
        .at("/$defs/assessment_metadata/properties/grade_scale/enum"))).isEqualTo(new TreeSet<>(GradeScale.ids()));
  }

  @Test
  void stopReasonsAreTheCoresStopReasons() {
    assertThat(enumOf(EventContracts.schemaJson(EventKind.RESULT_PUBLISHED.defaultTopic())
        .at("/$defs/assessment_metadata/properties/stop_reason/enum")))
        .isEqualTo(new TreeSet<>(Arrays.stream(org.cjassessment.core.batch.StopReason.values())
            .map(org.cjassessment.core.batch.StopReason::id).toList()));
  }

  @Test
  void batchEventsMatchTheirGoldens() {
    List<String> differences = new ArrayList<>();
    generatedGoldens().forEach((name, json) -> Goldens.check(name, json).ifPresent(d -> differences.add(name + d)));
    assertThat(differences).as("events differ from src/test/resources/golden (intended? regenerate with "
        + "-Dgolden.update=true and review the diff)").isEmpty();
  }

  /** Golden name → the event the code produced, normalised. */
  private static Map<String, JsonNode> generatedGoldens() {
    String job = Long.toString(goldenJob);
    assertThat(goldenJob).as("the goldens assume the golden request is batch 1 of a fresh database").isEqualTo(1);
    Map<String, JsonNode> actual = new LinkedHashMap<>();
    actual.put(EventKind.COMPLETED.defaultTopic(), batchEvent(EventKind.COMPLETED, GOLDEN_BATCH, job));
    actual.put(EventKind.RESULT_PUBLISHED.defaultTopic(), batchEvent(EventKind.RESULT_PUBLISHED, job, job));
    actual.put(EventKind.RESOURCE_CONSUMPTION.defaultTopic(),
        batchEvent(EventKind.RESOURCE_CONSUMPTION, GOLDEN_BATCH, job));
    actual.put(EventKind.FAILED.defaultTopic(),
        batchEvent(EventKind.FAILED, FAILING_BATCH, Long.toString(failingJob)));
    actual.put(EventKind.COMPARISON_REQUESTED.defaultTopic(), normalisedFirstComparisonRequest(goldenJob));
    JsonNode refused = service.outboxEvents().stream()
        .filter(e -> e.eventType().equals(EventKind.FAILED.defaultTopic()) && e.aggregateId().equals(REFUSED_BATCH))
        .map(e -> json(e.payload())).reduce((a, b) -> {
          throw new AssertionError("two failure events for " + REFUSED_BATCH);
        }).orElseThrow();
    assertThat(refused.path("event_id").asText()).isEqualTo(RejectedRequests.eventId(REFUSED_BATCH).toString());
    actual.put(EventKind.FAILED.defaultTopic() + ".refused", refused);
    return actual;
  }

  @Test
  void theGoldenBatchEventsSayWhatTheBatchDid() {
    JsonNode completed = batchEvent(EventKind.COMPLETED, GOLDEN_BATCH, "1").path("data");
    JsonNode summary = completed.path("processing_summary");
    assertThat(summary.path("total_essays").asInt()).isEqualTo(5); // anchors excluded
    assertThat(summary.path("successful_essay_ids").toString()).doesNotContain("anchor");
    assertThat(completed.at("/system_metadata/started_at").asText()).isEqualTo("2026-03-02T09:00:00Z");
    JsonNode result = batchEvent(EventKind.RESULT_PUBLISHED, "1", "1").path("data");
    assertThat(result.path("essay_results")).hasSize(5);
    assertThat(result.at("/assessment_metadata/anchor_essays_used").asInt()).isEqualTo(3);
    assertThat(result.at("/assessment_metadata/llm_temperature").asDouble()).isEqualTo(0.1);
    assertThat(result.path("model_used").asText()).isEqualTo("judge-1");
    int judged = service.jdbi.withHandle(h -> h.createQuery(
        "SELECT count(*) FROM comparisons WHERE batch_id = 1 AND status = 'JUDGED'").mapTo(Integer.class).one());
    assertThat(batchEvent(EventKind.RESOURCE_CONSUMPTION, GOLDEN_BATCH, "1").at("/data/quantity").asInt())
        .isEqualTo(judged).isEqualTo(result.at("/assessment_metadata/comparison_count").asInt());
    // The national scale's numeric grades pass the contract (upstream's letter regex rejected them).
    JsonNode national = batchEvent(EventKind.RESULT_PUBLISHED, Long.toString(nationalJob), Long.toString(nationalJob));
    national.at("/data/essay_results").forEach(e -> assertThat(e.path("letter_grade").asText()).matches("[0-9]|U"));
    // Nothing judged: billed 0, the model is unknown rather than null (a required string upstream).
    String single = Long.toString(singleJob);
    assertThat(batchEvent(EventKind.RESOURCE_CONSUMPTION, "bos-2026-0045", single).at("/data/quantity").asInt())
        .isZero();
    assertThat(batchEvent(EventKind.RESULT_PUBLISHED, single, single).at("/data/model_used").asText())
        .isEqualTo("unknown");
  }

  @Test
  void everyGoldenMatchesItsContract() throws IOException {
    List<Path> goldens;
    try (Stream<Path> list = Files.list(Goldens.directory())) {
      goldens = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(goldens).hasSize(EventContracts.files().size() + 2); // + the error callback, the refused request
    for (Path p : goldens) {
      String name = p.getFileName().toString();
      String topic = name.substring(0, name.indexOf(".v1") + 3);
      assertThat(EventContracts.errors(topic, Files.readAllBytes(p))).as(name).isEmpty();
    }
  }

  @Test
  void everyEventTheServiceProducedMatchesItsContract() {
    List<ServiceHarness.OutboxEvent> events = service.outboxEvents();
    assertThat(events.stream().map(ServiceHarness.OutboxEvent::eventType).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(EventKind.values()).map(EventKind::defaultTopic)
            .toList());
    EventContracts.assertValid(events);
  }

  @Test
  void inboundExamplesMatchTheirContractsAndAreAccepted() {
    assertThat(CALLBACKS_SENT).isNotEmpty();
    for (byte[] callback : CALLBACKS_SENT) { // ServiceHarness.callback / errorCallback, as sent above
      assertThat(EventContracts.errors(CALLBACK, callback)).isEmpty();
    }
    ComparisonResultParser callbacks = new ComparisonResultParser();
    assertThat(callbacks.parse(Goldens.bytes(CALLBACK))).isInstanceOf(ComparisonResultParser.Valid.class);
    assertThat(callbacks.parse(Goldens.bytes(CALLBACK + ".error"))).isInstanceOf(ComparisonResultParser.Valid.class);
    assertThat(EventContracts.errors(REQUEST, Goldens.read(REQUEST))).isEmpty(); // and it became batch 1 above
  }

  @Test
  void theContractsRejectWhatTheyMust() {
    String result = EventKind.RESULT_PUBLISHED.defaultTopic();
    JsonNode resultGolden = Goldens.read(result);
    assertRejected(result, set(resultGolden, "/data/essay_results/0/letter_grade", "10"), "numeric grade 10");
    assertRejected(result, set(resultGolden, "/data/essay_results/0/letter_grade", "B+"), "B+ is on no scale");
    assertAccepted(result, set(resultGolden, "/data/essay_results/0/letter_grade", "7"));
    assertRejected(result, set(resultGolden, "/data/essay_results/0/confidence_score", 1.2), "confidence > 1");
    assertRejected(result, set(resultGolden, "/data/essay_results/0/normalized_score", -0.1), "score < 0");
    assertRejected(result, set(resultGolden, "/data/essay_results/0/rank", 0), "rank 0");
    assertRejected(result, set(resultGolden, "/data/essay_results/0/confidence_label", "MEDIUM"), "label");
    assertRejected(result, set(resultGolden, "/data/essay_results/0/is_anchor", true), "an anchor listed");
    assertRejected(result, set(resultGolden, "/data/model_used", null), "model_used null");
    assertRejected(result, set(resultGolden, "/event_id", "not-a-uuid"), "event_id not a UUID");
    assertRejected(result, set(resultGolden, "/event_timestamp", "yesterday"), "timestamp not a date-time");
    assertRejected(result, set(resultGolden, "/data/surprise", 1), "an unknown field in our own event");

    String resource = EventKind.RESOURCE_CONSUMPTION.defaultTopic();
    assertRejected(resource, set(Goldens.read(resource), "/data/quantity", -1), "quantity < 0");
    assertRejected(resource, remove(Goldens.read(resource), "/data/user_id"), "no user_id");
    String completed = EventKind.COMPLETED.defaultTopic();
    assertRejected(completed, set(Goldens.read(completed), "/data/system_metadata/error_info", null),
        "error_info null (a dict upstream)");

    JsonNode callback = Goldens.read(CALLBACK);
    ComparisonResultParser parser = new ComparisonResultParser();
    for (JsonNode bad : List.of(
        set(callback, "/data/confidence", 9.5),
        set(callback, "/data/winner", "Essay C"),
        set(callback, "/data/error_detail", Goldens.read(CALLBACK + ".error").at("/data/error_detail")),
        set(callback, "/data/winner", null),
        remove(callback, "/data/justification"),
        set(callback, "/data/correlation_id", "42"),
        set(callback, "/data/judge_probability_a", 1.5))) {
      assertRejected(CALLBACK, bad, bad.path("data").toString());
      assertThat(parser.parse(bytes(bad))).as("the parser agrees").isInstanceOf(ComparisonResultParser.Invalid.class);
    }
    ComparisonResultParser.Parsed soft = parser.parse(bytes(set(callback, "/data/judge_probability_a", 0.7)));
    assertThat(((ComparisonResultParser.Valid) soft).result().judgeProbabilityA()).isEqualTo(0.7);
    assertThat(((ComparisonResultParser.Valid) parser.parse(bytes(callback))).result().judgeProbabilityA()).isNull();

    JsonNode request = Goldens.read(REQUEST);
    RequestEventParser requests = new RequestEventParser(id -> "text of " + id);
    for (JsonNode bad : List.of(
        remove(request, "/data/user_id"),
        remove(request, "/data/entity_id"),
        set(request, "/data/essays_for_cj/0/text", null),
        set(request, "/metadata/max_comparisons", 0))) {
      assertRejected(REQUEST, bad, "request");
      assertThatThrownBy(() -> requests.parse(bytes(bad))).as("the parser agrees")
          .isInstanceOf(InvalidRequestException.class);
    }
    JsonNode hot = set(request, "/data/llm_config_overrides/temperature_override", 5);
    assertRejected(REQUEST, hot, "temperature 5");
    assertThatThrownBy(() -> service.intake.submit(requests.parse(bytes(hot)))).as("intake agrees")
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("temperature_override 5");
    assertRejected(REQUEST, set(request, "/data/anchors/0/grade", "U"), "an anchor graded U");
    assertRejected(REQUEST, set(request, "/data/grade_scale", "ib_7_point"), "an unknown scale");
  }

  // ------------------------------------------------------------------------------------------------ scenario

  private static long submit(String batchId, List<String> students, Map<String, String> anchors, String scale,
      int budget) {
    List<EssayInput> essays = new ArrayList<>();
    students.forEach(id -> essays.add(EssayInput.student(id, "Essay " + id + " argues its case.")));
    new TreeMap<>(anchors).forEach((id, grade) -> essays.add(EssayInput.anchor(id, "Anchor " + id, grade)));
    return service.intake.submit(new BatchRequest(batchId, "evt-" + batchId,
        EventKind.nameBased(EventKind.NAMESPACE, "test-correlation:" + batchId), essays, scale, budget,
        "teacher-17", "school-3", "asg-eng5-uniforms", "ENG5", "en", null, Map.of())).jobId();
  }

  /** Answers every wave (after 40 s of the fixed clock) until the batch is terminal. */
  private static void judgeToTheEnd(long job, Random random, boolean errorsOnly) {
    for (int wave = 0; wave < 40 && !Set.of("COMPLETED", "FAILED").contains(service.state(job)); wave++) {
      service.clock.advance(Duration.ofSeconds(40));
      List<byte[]> answers = new ArrayList<>();
      for (String[] p : service.pending(job)) {
        String eventId = UUID.randomUUID().toString();
        double a = QUALITY.getOrDefault(p[1], 0.0);
        double b = QUALITY.getOrDefault(p[2], 0.0);
        answers.add(errorsOnly ? ServiceHarness.errorCallback(eventId, p[0])
            : ServiceHarness.callback(eventId, p[0], random.nextDouble() < 1 / (1 + Math.exp(b - a))));
      }
      CALLBACKS_SENT.addAll(answers);
      service.ingestor.ingest(answers);
      service.advancer.advance(job, Trigger.WAVE_COMPLETE);
    }
    assertThat(service.state(job)).isEqualTo(errorsOnly ? "FAILED" : "COMPLETED");
  }

  /** The one event of this kind for the aggregate, after checking its deterministic id. */
  private static JsonNode batchEvent(EventKind kind, String aggregateId, String job) {
    List<ServiceHarness.OutboxEvent> matching = service.outboxEvents().stream()
        .filter(e -> e.eventType().equals(kind.defaultTopic()) && e.aggregateId().equals(aggregateId)).toList();
    assertThat(matching).as("%s events of %s", kind, aggregateId).hasSize(1);
    JsonNode json = json(matching.get(0).payload());
    assertThat(json.path("event_id").asText()).isEqualTo(kind.eventId(job).toString());
    return json;
  }

  private static JsonNode normalisedFirstComparisonRequest(long job) {
    ServiceHarness.OutboxEvent first = service.outboxEvents().stream()
        .filter(e -> e.eventType().equals(EventKind.COMPARISON_REQUESTED.defaultTopic()))
        .filter(e -> json(e.payload()).at("/data/cj_batch_id").asText().equals(Long.toString(job)))
        .findFirst().orElseThrow();
    ObjectNode json = (ObjectNode) json(first.payload());
    String correlation = json.path("correlation_id").asText();
    assertThat(json.at("/data/correlation_id").asText()).isEqualTo(correlation);
    assertThat(first.aggregateId()).isEqualTo(correlation);
    assertThat(json.path("event_id").asText())
        .isEqualTo(EventKind.COMPARISON_REQUESTED.eventId(Long.toString(job), correlation + ":1").toString());
    json.put("event_id", EVENT_ID_PLACEHOLDER);
    json.put("correlation_id", CORRELATION_PLACEHOLDER);
    ((ObjectNode) json.get("data")).put("correlation_id", CORRELATION_PLACEHOLDER);
    return json;
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static void assertRejected(String topic, JsonNode event, String why) {
    assertThat(EventContracts.errors(topic, event)).as("%s must reject: %s", topic, why).isNotEmpty();
  }

  private static void assertAccepted(String topic, JsonNode event) {
    assertThat(EventContracts.errors(topic, event)).as("%s must accept it", topic).isEmpty();
  }

  private static JsonNode set(JsonNode original, String pointer, Object value) {
    JsonNode copy = original.deepCopy();
    JsonPointer p = JsonPointer.compile(pointer);
    JsonNode parent = copy.at(p.head());
    JsonNode v = value instanceof JsonNode n ? n : Json.mapper().valueToTree(value);
    if (v == null) {
      v = JsonNodeFactory.instance.nullNode();
    }
    if (parent instanceof ArrayNode array) {
      array.set(Integer.parseInt(p.last().getMatchingProperty()), v);
    } else {
      ((ObjectNode) parent).set(p.last().getMatchingProperty(), v);
    }
    return copy;
  }

  private static JsonNode remove(JsonNode original, String pointer) {
    JsonNode copy = original.deepCopy();
    JsonPointer p = JsonPointer.compile(pointer);
    ((ObjectNode) copy.at(p.head())).remove(p.last().getMatchingProperty());
    return copy;
  }

  private static Set<String> enumOf(JsonNode array) {
    assertThat(array.isArray()).as("an enum array").isTrue();
    Set<String> values = new TreeSet<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static JsonNode json(byte[] bytes) {
    try {
      return Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(JsonNode json) {
    try {
      return Json.mapper().writeValueAsBytes(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
