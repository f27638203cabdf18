package org.cjassessment.consumers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cjassessment.consumers.credits.CreditStore;
import org.cjassessment.consumers.credits.CreditsLedger;
import org.cjassessment.consumers.lifecycle.EssayLifecycle;
import org.cjassessment.consumers.lifecycle.EssayState;
import org.cjassessment.consumers.lifecycle.LifecycleStore;
import org.cjassessment.consumers.results.ResultStore;
import org.cjassessment.consumers.results.ResultsStore;
import org.cjassessment.inbox.InboxHandler;
import org.cjassessment.inbox.InboxRecord;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The consumers read the service's golden events (cj-service/src/test/resources/golden, regenerated from the real
 * service): the contract they are written against is the one the service publishes.
 */
@ExtendWith(SharedInfrastructure.class)
class GoldenEventsTest {

  private static final Path GOLDEN = Path.of("..", "cj-service", "src", "test", "resources", "golden");

  private static InboxRecord golden(String topic, String file) throws Exception {
    byte[] value = Files.readAllBytes(GOLDEN.resolve(file));
    String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(value).get("event_id").asText();
    return new InboxRecord(topic, 0, 0, null, value, Map.of(), id, "");
  }

  private static void apply(ConsumerFixture f, InboxHandler handler, InboxRecord record) throws Exception {
    f.jdbi.<Exception>useTransaction(h -> handler.handle(h, record));
  }

  @Test
  void everyGoldenEventIsApplied() throws Exception {
    try (ConsumerFixture f = new ConsumerFixture(1)) {
      ConsumerTopics t = f.topics;
      f.grant("org", "school-3", 100);
      apply(f, new CreditsLedger(new CreditStore(), CreditsLedger.defaultPrices(), 0),
          golden(t.resourceConsumption(), "huleedu.resource.consumption.v1.json"));
      apply(f, new ResultsStore(new ResultStore()),
          golden(t.results(), "huleedu.assessment.result.published.v1.json"));
      EssayLifecycle lifecycle = new EssayLifecycle(new LifecycleStore(), t);
      apply(f, lifecycle, golden(t.requests(), "huleedu.els.cj_assessment.requested.v1.json"));
      apply(f, lifecycle, golden(t.completed(), "huleedu.cj_assessment.completed.v1.json"));
      apply(f, lifecycle, golden(t.failed(), "huleedu.cj_assessment.failed.v1.json"));

      assertThat(f.balance("org", "school-3")).isEqualTo(100 - 24);
      assertThat(f.count("SELECT count(*) FROM essay_results WHERE job_id = '1'")).isEqualTo(5);
      assertThat(f.states("bos-2026-0042")).hasSize(5).containsValue(EssayState.CJ_SUCCESS)
          .doesNotContainValue(EssayState.AWAITING_CJ);
      assertThat(f.outcome("bos-2026-0042")).isEqualTo("COMPLETED");
      assertThat(f.outcome("bos-2026-0043")).isEqualTo("FAILED");
    }
  }
}
