package org.cjassessment.service;

import org.cjassessment.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.cjassessment.core.batch.Decision;
import org.cjassessment.core.batch.FailureReason;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.core.pairs.CoveragePairSelector;
import org.cjassessment.core.pairs.Pair;
import org.cjassessment.core.pairs.PairSelector;
import org.cjassessment.service.batch.AdvanceResult;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bug that every retry would hit again (here: the pair selector throws on the second wave) fails the batch once,
 * with its failure event, instead of rolling back forever under every monitor sweep (an upstream quirk: no failure
 * event when finalization crashed).
 */
@ExtendWith(SharedInfrastructure.class)
class ProcessingErrorTest {

  @Test
  void aDeterministicErrorFailsTheBatchOnceWithItsEvent() {
    PairSelector firstWaveOnly = new PairSelector() {
      private final PairSelector real = new CoveragePairSelector();

      @Override
      public List<Pair> select(List<String> essays, List<Pair> history, int maxPairs, long seed) {
        if (!history.isEmpty()) {
          throw new IllegalStateException("selector bug on wave 2");
        }
        return real.select(essays, history, maxPairs, seed);
      }
    };
    try (ServiceHarness service = new ServiceHarness(ServiceSettings.defaults(), new MutableClock(), firstWaveOnly)) {
      String upstream = "bug-" + UUID.randomUUID();
      long job = service.submit(upstream, 6, Map.of(), 30);
      service.answerPending(job, new Random(1));

      AdvanceResult result = service.advancer.advance(job, Trigger.WAVE_COMPLETE);
      assertThat(result.decision()).isInstanceOfSatisfying(Decision.Fail.class, f -> {
        assertThat(f.reason()).isEqualTo(FailureReason.PROCESSING_ERROR);
        assertThat(f.detail()).isEqualTo("IllegalStateException: selector bug on wave 2");
      });
      assertThat(service.state(job)).isEqualTo("FAILED");
      assertThat(service.outboxRows(EventKind.FAILED.defaultTopic(), upstream)).isEqualTo(1);
      assertThat(service.outboxRows(EventKind.COMPLETED.defaultTopic(), upstream)).isZero();
      // The failed wave left nothing behind: no comparison of wave 2 was written.
      int wave2 = service.jdbi.withHandle(h -> h.createQuery(
          "SELECT count(*) FROM comparisons WHERE batch_id = :id AND wave = 2").bind("id", job)
          .mapTo(Integer.class).one());
      assertThat(wave2).isZero();
      // Later triggers change nothing.
      assertThat(service.monitor.sweep().terminal()).isZero();
      assertThat(service.advancer.advance(job, Trigger.OPERATOR).decision())
          .isInstanceOf(Decision.AlreadyTerminal.class);
      assertThat(service.outboxRows(EventKind.FAILED.defaultTopic(), upstream)).isEqualTo(1);
    }
  }
}
