package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.core.judge.SimulatedJudgeModel;
import org.cjassessment.judge.Judge;
import org.cjassessment.judge.JudgeWorker;
import org.cjassessment.judge.llm.LlmSettings;
import org.cjassessment.judge.openai.OpenAiJudge;
import org.cjassessment.judge.simulated.SimulatedJudge;
import org.cjassessment.service.Topics;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.llm.FakeOpenAiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The judge worker's callbacks are accepted by the service unchanged: a batch runs to completion with the real
 * worker answering (the simulated judge, and the OpenAI judge against its fake server), no callback is
 * dead-lettered, and the judge's probability lands in {@code comparisons.judge_probability_a}.
 */
@ExtendWith(SharedInfrastructure.class)
class JudgeWorkerWithServiceTest {

  static final Map<String, String> ANCHORS = Map.of("A_top", "A", "F_low", "F", "C_mid", "C");

  @Test
  void aBatchCompletesWithTheSimulatedJudgeAndStoresItsProbabilities() throws Exception {
    Map<String, Double> truth = new HashMap<>();
    for (int i = 0; i < 8; i++) {
      truth.put("bos-sim-s%02d".formatted(i), i * 0.4);
    }
    truth.put("A_top", 4.0);
    truth.put("F_low", -1.0);
    truth.put("C_mid", 1.5);
    try (SimulatedJudge judge = SimulatedJudge.of(truth, SimulatedJudgeModel.Settings.defaults(3))) {
      runBatch("bos-sim", judge);
    }
  }

  @Test
  void aBatchCompletesWithTheOpenAiJudgeAgainstItsFakeServer() throws Exception {
    try (FakeOpenAiServer server = new FakeOpenAiServer();
        OpenAiJudge judge = new OpenAiJudge(LlmSettings.of(server.baseUrl(), "sk-test", "gpt-test"))) {
      Topics topics = runBatch("bos-oai", judge);
      assertThat(server.calls()).isPositive();
      assertThat(topics).isNotNull();
    }
  }

  private static Topics runBatch(String batch, Judge judge) throws Exception {
    Topics topics = Runtimes.freshTopics("judge-e2e");
    ServiceConfig config = Runtimes.config(SharedInfrastructure.freshDatabase(), topics, "judge-e2e");
    try (ServiceRuntime service = ServiceRuntime.start(config);
        JudgeWorker worker = JudgeWorker.builder().bootstrapServers(SharedInfrastructure.bootstrapServers())
            .requestTopic(topics.comparisonRequests()).groupId("judge-" + batch).judge(judge).concurrency(4)
            .build().start();
        KafkaProducer<byte[], byte[]> producer = Runtimes.producer()) {
      Runtimes.send(producer, topics.requests(), Runtimes.requestEvent(batch, "evt-" + batch, 8, ANCHORS, 30));
      await().atMost(Duration.ofSeconds(120)).until(() -> FullLifecycleTest.state(service, batch)
          .equals("COMPLETED"));
      List<Map<String, Object>> rows = service.jdbi().withHandle(h -> h.createQuery(
          "SELECT status, judge_probability_a, provider FROM comparisons").mapToMap().list());
      assertThat(rows).isNotEmpty();
      assertThat(rows).allSatisfy(r -> {
        assertThat(r.get("status")).isEqualTo("JUDGED");
        assertThat((Double) r.get("judge_probability_a")).isBetween(0.0, 1.0);
        assertThat(r.get("provider")).isEqualTo(judge.provider());
      });
      assertThat(worker.stats().judged()).isGreaterThanOrEqualTo(rows.size());
      assertThat(Runtimes.readAll(topics.deadLetters())).isEmpty();
    }
    return topics;
  }
}
