package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.service.Topics;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A provider error is not a judgement: with a judge that answers 10 % of the requests with an error, 40 small
 * batches (4 essays, 8 comparisons) all complete, each with its full budget judged, because every errored pair is
 * asked again. Before, an error used up the budget and counted against the success rate: about one batch in five
 * failed with LOW_SUCCESS_RATE (P(2+ errors of 8) = 19 %).
 */
@ExtendWith(SharedInfrastructure.class)
class ProviderErrorsTest {

  private static final int BATCHES = 40;

  @Test
  void transientProviderErrorsNeverFailABatch() throws Exception {
    Topics topics = Runtimes.freshTopics("errors");
    try (ServiceRuntime service = ServiceRuntime.start(Runtimes.config(SharedInfrastructure.freshDatabase(), topics,
        "errors", Map.of("CJ_ANSWER_RETRY_BACKOFF_SECONDS", "1")));
        TestJudge judge = new TestJudge(SharedInfrastructure.bootstrapServers(), topics.comparisonRequests(), 1,
            0.10);
        KafkaProducer<byte[], byte[]> producer = Runtimes.producer()) {
      for (int i = 0; i < BATCHES; i++) {
        Runtimes.send(producer, topics.requests(), Runtimes.requestEvent("err-" + i, "evt-err-" + i, 4, Map.of(), 8));
      }
      await().atMost(Duration.ofSeconds(240)).until(() -> terminal(service) == BATCHES);

      Map<String, Integer> states = service.jdbi().withHandle(h -> h.createQuery(
          "SELECT state || coalesce('/' || failure_reason, '') AS s, count(*) AS n FROM batches GROUP BY 1")
          .reduceRows(new java.util.TreeMap<String, Integer>(), (m, row) -> {
            m.put(row.getColumn("s", String.class), row.getColumn("n", Integer.class));
            return m;
          }));
      int retried = service.jdbi().withHandle(h -> h.createQuery(
          "SELECT coalesce(sum(error_retries), 0) FROM comparisons").mapTo(Integer.class).one());
      System.out.printf("provider errors: %d batches, %d pairs asked again, states %s%n", BATCHES, retried, states);
      assertThat(states).containsOnlyKeys("COMPLETED");
      assertThat(retried).as("errored answers (10 %% of about %d requests)", BATCHES * 8).isPositive();
      int judged = service.jdbi().withHandle(h -> h.createQuery(
          "SELECT min(judged) FROM batches").mapTo(Integer.class).one());
      assertThat(judged).isEqualTo(8);
    }
  }

  private static int terminal(ServiceRuntime service) {
    return service.jdbi().withHandle(h -> h.createQuery(
        "SELECT count(*) FROM batches WHERE state IN ('COMPLETED', 'FAILED')").mapTo(Integer.class).one());
  }
}
