package org.cjassessment.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cjassessment.core.judge.SimulatedJudgeModel;
import org.cjassessment.judge.simulated.SimulatedJudge;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfrastructure.class)
class JudgeWorkerTest {

  @Test
  void simulatedJudgeAnswersEveryRequestOnceWithCallbacksTheContractAccepts() {
    String requests = SharedInfrastructure.freshTopic("judge-requests");
    String callbacks = SharedInfrastructure.freshTopic("judge-callbacks");
    Map<String, Double> truth = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      truth.put("e" + i, i * 0.5);
    }
    List<byte[]> values = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      String id = UUID.randomUUID().toString();
      ids.add(id);
      values.add(WireFixtures.request(id, "e" + (i % 10), "e" + ((i + 3) % 10), callbacks));
    }
    WireFixtures.send(requests, values);
    try (SimulatedJudge judge = SimulatedJudge.of(truth,
        SimulatedJudgeModel.Settings.defaults(7).withLatency(20, 0.5));
        JudgeWorker worker = JudgeWorker.builder().bootstrapServers(SharedInfrastructure.bootstrapServers())
            .requestTopic(requests).groupId("g-" + requests).judge(judge).concurrency(4)
            .prices(new Prices(3.0, 15.0)).build().start()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> worker.stats().answered() == 40);
      List<ConsumerRecord<byte[], byte[]>> out = WireFixtures.readAll(callbacks, 40);
      assertThat(out).hasSize(40);
      Set<String> answered = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : out) {
        assertThat(WireFixtures.callbackErrors(r.value())).isEmpty();
        JsonNode root = WireFixtures.json(r.value());
        JsonNode data = root.get("data");
        answered.add(data.get("correlation_id").asText());
        assertThat(data.get("winner").asText()).isIn("Essay A", "Essay B");
        assertThat(data.get("confidence").asInt()).isBetween(1, 5);
        assertThat(data.get("judge_probability_a").asDouble()).isBetween(0.0, 1.0);
        assertThat(data.get("provider").asText()).isEqualTo("simulated");
        assertThat(data.get("prompt_hash").asText()).hasSize(64);
        assertThat(root.get("metadata").get("prompt_hash").asText()).isEqualTo(data.get("prompt_hash").asText());
        assertThat(data.get("cost_estimate").asDouble()).isPositive();
        assertThat(data.get("request_metadata").get("essay_a_id").asText()).startsWith("e");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(data.get("correlation_id").asText());
        assertThat(new String(r.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8))
            .isEqualTo(root.get("event_id").asText());
      }
      assertThat(answered).isEqualTo(ids);
      assertThat(worker.stats().judged()).isEqualTo(40);
      await().atMost(Duration.ofSeconds(30))
          .until(() -> WireFixtures.committed("g-" + requests, requests) == 40);
    }
  }

  @Test
  void anOffsetIsCommittedOnlyAfterItsCallbackAndEveryEarlierOneWereAcknowledged() {
    String requests = SharedInfrastructure.freshTopic("judge-requests");
    String callbacks = SharedInfrastructure.freshTopic("judge-callbacks");
    List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString());
    WireFixtures.send(requests, ids.stream().map(id -> WireFixtures.request(id, "a", "b", callbacks)).toList());
    GateJudge judge = new GateJudge();
    HeldAcksProducer producer = HeldAcksProducer.create(SharedInfrastructure.bootstrapServers());
    String group = "g-" + requests;
    try (JudgeWorker worker = JudgeWorker.builder().bootstrapServers(SharedInfrastructure.bootstrapServers())
        .requestTopic(requests).groupId(group).judge(judge).concurrency(3).producer(producer).build().start()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> judge.asked.size() == 3);
      // the second and third are judged and acknowledged; the first is still being judged
      judge.release(ids.get(1));
      judge.release(ids.get(2));
      await().atMost(Duration.ofSeconds(30)).until(() -> producer.held() == 2);
      producer.releaseAll();
      await().atMost(Duration.ofSeconds(30)).until(() -> worker.stats().judged() == 2);
      assertThat(WireFixtures.committed(group, requests)).isLessThanOrEqualTo(0);
      // the first is judged, but its callback not yet acknowledged: still nothing to commit
      judge.release(ids.get(0));
      await().atMost(Duration.ofSeconds(30)).until(() -> producer.held() == 1);
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
          .until(() -> WireFixtures.committed(group, requests) <= 0);
      producer.releaseAll();
      await().atMost(Duration.ofSeconds(30)).until(() -> WireFixtures.committed(group, requests) == 3);
    }
  }

  @Test
  void aSlowJudgeNeverMakesTheWorkerHoldMoreThanTheBoundOrRunMoreThanTheConcurrency() {
    String requests = SharedInfrastructure.freshTopic("judge-requests");
    String callbacks = SharedInfrastructure.freshTopic("judge-callbacks");
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      values.add(WireFixtures.request(UUID.randomUUID().toString(), "a", "b", callbacks));
    }
    WireFixtures.send(requests, values);
    GateJudge judge = new GateJudge();
    try (JudgeWorker worker = JudgeWorker.builder().bootstrapServers(SharedInfrastructure.bootstrapServers())
        .requestTopic(requests).groupId("g-" + requests).judge(judge).concurrency(3).maxInFlight(8).build()
        .start()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> judge.asked.size() == 3);
      // the judge answers nothing: the worker holds the bound and no more, and asks no more than 3 at once
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
          .until(() -> worker.stats().received() <= 8 && judge.asked.size() == 3);
      assertThat(worker.stats().received()).isGreaterThan(3);
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        judge.releaseAll();
        return worker.stats().answered() == 60;
      });
      assertThat(worker.stats().maxInFlight()).isLessThanOrEqualTo(8);
      assertThat(worker.stats().maxConcurrentCalls()).isEqualTo(3);
      assertThat(WireFixtures.readAll(callbacks, 60)).hasSize(60);
    }
  }

  @Test
  void anUnusableRequestGetsAnErrorCallbackWhenItNamesItsComparisonAndIsSkippedOtherwise() {
    String requests = SharedInfrastructure.freshTopic("judge-requests");
    String callbacks = SharedInfrastructure.freshTopic("judge-callbacks");
    String named = UUID.randomUUID().toString();
    String good = UUID.randomUUID().toString();
    String noText = new String(WireFixtures.request(named, "a", "b", callbacks), StandardCharsets.UTF_8)
        .replaceFirst("\"text\":\"[^\"]*\"", "\"text\":\"\"");
    WireFixtures.send(requests, List.of("not json".getBytes(StandardCharsets.UTF_8),
        noText.getBytes(StandardCharsets.UTF_8), WireFixtures.request(good, "a", "b", callbacks)));
    Map<String, Double> truth = Map.of("a", 1.0, "b", 0.0);
    try (SimulatedJudge judge = SimulatedJudge.of(truth, SimulatedJudgeModel.Settings.defaults(1));
        JudgeWorker worker = JudgeWorker.builder().bootstrapServers(SharedInfrastructure.bootstrapServers())
            .requestTopic(requests).groupId("g-" + requests).judge(judge).build().start()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> worker.stats().answered() == 2);
      assertThat(worker.stats().rejected()).isEqualTo(1);
      Map<String, JsonNode> byId = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : WireFixtures.readAll(callbacks, 2)) {
        assertThat(WireFixtures.callbackErrors(r.value())).isEmpty();
        JsonNode data = WireFixtures.json(r.value()).get("data");
        byId.put(data.get("correlation_id").asText(), data);
      }
      assertThat(byId.get(named).get("error_detail").get("error_code").asText()).isEqualTo("INVALID_REQUEST");
      assertThat(byId.get(named).get("error_detail").get("message").asText()).contains("essay_a.text");
      assertThat(byId.get(good).get("winner").asText()).isIn("Essay A", "Essay B");
      await().atMost(Duration.ofSeconds(30)).until(() -> WireFixtures.committed("g-" + requests, requests) == 3);
    }
  }
  @Test
  void aCrashReJudgesOnlyTheRecordsItHeldUnanswered() {
    String requests = SharedInfrastructure.freshTopic("judge-requests");
    String callbacks = SharedInfrastructure.freshTopic("judge-callbacks");
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      values.add(WireFixtures.request(UUID.randomUUID().toString(), "a", "b", callbacks));
    }
    WireFixtures.send(requests, values);
    String group = "g-" + requests;
    GateJudge first = new GateJudge();
    JudgeWorker crashed = JudgeWorker.builder().bootstrapServers(SharedInfrastructure.bootstrapServers())
        .requestTopic(requests).groupId(group).judge(first).concurrency(2).maxInFlight(5)
        .shutdownGrace(Duration.ZERO).build().start();
    await().atMost(Duration.ofSeconds(60)).until(() -> first.asked.size() >= 2);
    for (int i = 0; i < 7; i++) {
      int next = i;
      await().atMost(Duration.ofSeconds(30)).until(() -> first.asked.size() > next);
      first.release(first.asked.get(next));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> crashed.stats().judged() == 7);
    await().atMost(Duration.ofSeconds(30)).until(() -> WireFixtures.committed(group, requests) == 7);
    long held = crashed.stats().received();
    crashed.close(); // with no grace: the calls in progress are abandoned, as in a crash
    assertThat(WireFixtures.committed(group, requests)).isEqualTo(7);

    GateJudge second = new GateJudge();
    try (JudgeWorker restarted = JudgeWorker.builder().bootstrapServers(SharedInfrastructure.bootstrapServers())
        .requestTopic(requests).groupId(group).judge(second).concurrency(2).maxInFlight(5).build().start()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        second.releaseAll();
        return restarted.stats().answered() == 23;
      });
      // everything after the committed offset comes again, nothing before it
      assertThat(restarted.stats().received()).isEqualTo(23);
    }
    // of those, the first worker had held (polled, unanswered) at most maxInFlight...
    assertThat(held - 7).isPositive().isLessThanOrEqualTo(5);
    // ...and had put at most `concurrency` of them to the judge: the calls a provider would bill twice
    Set<String> reJudged = new HashSet<>(first.asked);
    reJudged.retainAll(second.asked);
    assertThat(reJudged).hasSize(first.asked.size() - 7).hasSizeLessThanOrEqualTo(2);
    assertThat(first.asked.subList(0, 7)).doesNotContainAnyElementsOf(second.asked);
    assertThat(WireFixtures.readAll(callbacks, 30)).hasSize(30);
  }
}
