package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.cjassessment.core.batch.PrecisionTarget;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.core.pairs.SelectorKind;
import org.cjassessment.service.batch.BatchRequest;
import org.cjassessment.service.batch.EssayInput;
import org.cjassessment.service.batch.InvalidRequestException;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The selector named by a request, the cap on appearances, and the precision stop, on the real service. */
@ExtendWith(SharedInfrastructure.class)
class PairingAndPrecisionStopTest {

  private static BatchRequest request(String batchId, int students, int budget, String selector) {
    List<EssayInput> essays = new ArrayList<>();
    for (int i = 0; i < students; i++) {
      essays.add(EssayInput.student(String.format("s%02d", i), "Essay text number " + i));
    }
    essays.add(EssayInput.anchor("a1", "Anchor one", "E"));
    essays.add(EssayInput.anchor("a6", "Anchor six", "B"));
    return new BatchRequest(batchId, "evt-" + batchId, UUID.randomUUID(), essays, "swedish_8_anchor", budget,
        "user-1", "org-1", "assignment-1", "ENG5", "en", null, Map.of(), selector);
  }

  /** Answers every wave until the batch is terminal; returns the requested pairs. */
  private static List<String[]> run(ServiceHarness service, long job) {
    Random random = new Random(11);
    for (int wave = 0; wave < 60 && !service.state(job).equals("COMPLETED"); wave++) {
      service.answerPending(job, random);
      service.advancer.advance(job, Trigger.WAVE_COMPLETE);
    }
    return service.jdbi.withHandle(h -> h.createQuery(
        "SELECT essay_a, essay_b FROM comparisons WHERE batch_id = :id ORDER BY id").bind("id", job)
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list());
  }

  private static String column(ServiceHarness service, long job, String column) {
    return service.jdbi.withHandle(h -> h.createQuery("SELECT " + column + " FROM batches WHERE id = :id")
        .bind("id", job).mapTo(String.class).one());
  }

  /** {@code assessment_metadata.stop_reason} of the batch's result event, as the relay would publish it. */
  private static String publishedStopReason(ServiceHarness service, long job) throws Exception {
    byte[] payload = service.outboxEvents().stream()
        .filter(e -> e.eventType().equals("huleedu.assessment.result.published.v1")
            && e.aggregateId().equals(Long.toString(job)))
        .reduce((a, b) -> {
          throw new AssertionError("two result events for job " + job);
        }).orElseThrow().payload();
    return Json.mapper().readTree(payload).at("/data/assessment_metadata/stop_reason").asText();
  }

  @Test
  void anAdaptiveBatchStopsAtTheCapOnAppearancesWithEveryEssayWithinIt() throws Exception {
    try (ServiceHarness service = new ServiceHarness(ServiceSettings.defaults().withPairing(SelectorKind.COVERAGE,
        5))) {
      long job = service.intake.submit(request("adaptive-" + UUID.randomUUID(), 12, 500, "Adaptive")).jobId();
      List<String[]> pairs = run(service, job);
      assertThat(service.state(job)).isEqualTo("COMPLETED");
      assertThat(column(service, job, "outcome")).isEqualTo("COMPLETE_BUDGET_EXHAUSTED");
      assertThat(column(service, job, "request->>'pair_selector'")).isEqualTo("adaptive");
      Map<String, Integer> appearances = new HashMap<>();
      for (String[] p : pairs) {
        appearances.merge(p[0], 1, Integer::sum);
        appearances.merge(p[1], 1, Integer::sum);
      }
      assertThat(appearances.values()).allMatch(n -> n <= 5);
      assertThat(pairs.size()).isLessThan(500).isGreaterThanOrEqualTo(14 * 5 / 2 - 1);
      assertThat(publishedStopReason(service, job)).isEqualTo("appearance_cap");
    }
  }

  @Test
  void aPrecisionTargetStopsTheBatchBeforeItsBudget() throws Exception {
    ServiceSettings d = ServiceSettings.defaults();
    ServiceSettings settings = new ServiceSettings(d.topics(),
        d.policy().withPrecisionTarget(new PrecisionTarget(0.6, 0.7, 0, 3)), d.defaultBudget(), d.maxBudget(),
        d.priorSd(), d.stuckAfter(), d.maxEssayChars(), d.sourceService(), d.maxEssaysPerBatch(), d.maxEssayBytes(),
        SelectorKind.COVERAGE, 0);
    try (ServiceHarness service = new ServiceHarness(settings)) {
      long job = service.intake.submit(request("precise-" + UUID.randomUUID(), 20, 2000, null)).jobId();
      List<String[]> pairs = run(service, job);
      assertThat(service.state(job)).isEqualTo("COMPLETED");
      assertThat(column(service, job, "outcome")).isEqualTo("COMPLETE_STABLE");
      assertThat(pairs.size()).isLessThan(2000).isGreaterThanOrEqualTo(3 * 22 / 2);
      // The outcome says COMPLETE_STABLE (upstream's values); the event's stop_reason says why (issue 7).
      assertThat(publishedStopReason(service, job)).isEqualTo("precision_target");
    }
  }

  @Test
  void anUnknownSelectorIsRefusedWithTheValidOnes() {
    try (ServiceHarness service = new ServiceHarness()) {
      assertThatThrownBy(() -> service.intake.submit(request("bad-" + UUID.randomUUID(), 4, 20, "swiss")))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("pair_selector 'swiss'").hasMessageContaining("adaptive, coverage, random");
    }
  }
}
