package org.cjassessment.consumers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cjassessment.consumers.lifecycle.EssayState;
import org.cjassessment.inbox.InboxStats;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The three consumers on a real PostgreSQL and broker: repeats and logical duplicates take effect once. */
@ExtendWith(SharedInfrastructure.class)
class ReferenceConsumersTest {

  static final Duration WAIT = Duration.ofSeconds(60);

  private static void awaitSeen(ReferenceConsumers c, String name, long records) {
    await().atMost(WAIT).until(() -> {
      InboxStats s = c.stats(name);
      return s.applied() + s.duplicates() + s.deadLettered() >= records;
    });
  }

  @Test
  void theSameEventDeliveredManyTimesTakesEffectOnce() {
    try (ConsumerFixture f = new ConsumerFixture(1); ReferenceConsumers c = f.start("many")) {
      f.grant("org", "school-3", 1000);
      List<String> essays = List.of("essay-a", "essay-b", "essay-c");
      for (int i = 0; i < 5; i++) {
        f.send(f.topics.resourceConsumption(), "bos-1", "ev-c1", Events.consumption("ev-c1", "1", "t-17", "school-3",
            24));
        f.send(f.topics.results(), "1", "ev-r1", Events.result("ev-r1", "1", "bos-1", essays, 2.0));
        f.send(f.topics.requests(), "bos-1", "ev-q1", Events.request("ev-q1", "bos-1", essays));
        f.send(f.topics.completed(), "bos-1", "ev-d1",
            Events.completed("ev-d1", "bos-1", "1", List.of("essay-a", "essay-b"), List.of("essay-c")));
      }
      awaitSeen(c, "credits-ledger", 5);
      awaitSeen(c, "results-store", 5);
      awaitSeen(c, "essay-lifecycle", 10);
      assertThat(c.stats("credits-ledger").applied()).isEqualTo(1);
      assertThat(c.stats("credits-ledger").duplicates()).isEqualTo(4);
      assertThat(c.stats("results-store").applied()).isEqualTo(1);
      assertThat(c.stats("essay-lifecycle").applied()).as(c.stats("essay-lifecycle").toString()).isEqualTo(2);
      assertThat(c.stats("essay-lifecycle").duplicates()).isEqualTo(8);

      assertThat(f.balance("org", "school-3")).isEqualTo(1000 - 24);
      assertThat(f.count("SELECT count(*) FROM credit_operations")).isEqualTo(1);
      assertThat(f.count("SELECT count(*) FROM completed_jobs")).isEqualTo(1);
      assertThat(f.count("SELECT count(*) FROM essay_results")).isEqualTo(3);
      assertThat(f.count("SELECT count(*) FROM phase_outcomes")).isEqualTo(1);
      assertThat(f.states("bos-1")).isEqualTo(Map.of(
          "essay-a", EssayState.CJ_SUCCESS, "essay-b", EssayState.CJ_SUCCESS, "essay-c", EssayState.CJ_FAILED));
    }
  }

  @Test
  void logicalDuplicatesWithNewEventIdsTakeEffectOnceAndDifferentResultsAreRefused() {
    try (ConsumerFixture f = new ConsumerFixture(1); ReferenceConsumers c = f.start("logical")) {
      f.grant("org", "school-9", 100);
      f.grant("user", "t-1", 10);
      for (String id : List.of("x1", "x2", "x3")) { // the upstream relay minted a new id per publish
        f.send(f.topics.resourceConsumption(), "bos-2", id, Events.consumption(id, "2", "t-1", "school-9", 30));
      }
      f.send(f.topics.resourceConsumption(), "bos-3", "x4", Events.consumption("x4", "3", "t-1", null, 5));
      f.send(f.topics.resourceConsumption(), "bos-4", "x5", Events.consumption("x5", "4", "t-1", null, 50));

      List<String> ab = List.of("essay-a", "essay-b");
      f.send(f.topics.results(), "2", "r1", Events.result("r1", "2", "bos-2", ab, 2.0));
      f.send(f.topics.results(), "2", "r2", Events.result("r2", "2", "bos-2", ab, 2.0)); // same results
      f.send(f.topics.results(), "2", "r3", Events.result("r3", "2", "bos-2", List.of("essay-b", "essay-a"), 3.0));

      // Topics are not ordered with each other: each "later" event is sent once the earlier one took effect.
      f.send(f.topics.requests(), "bos-2", "q2", Events.request("q2", "bos-2", ab));
      f.send(f.topics.completed(), "bos-2", "c1", Events.completed("c1", "bos-2", "2", ab, List.of()));
      f.send(f.topics.completed(), "bos-2", "c2", Events.completed("c2", "bos-2", "2", ab, List.of()));
      f.send(f.topics.requests(), "bos-3", "q3", Events.request("q3", "bos-3", List.of("x", "y")));
      f.send(f.topics.failed(), "bos-3", "f3", Events.failed("f3", "bos-3", "3")); // upstream ELS ignored this
      awaitSeen(c, "essay-lifecycle", 5);
      f.send(f.topics.failed(), "bos-2", "f2", Events.failed("f2", "bos-2", "2")); // after a completion: ignored
      f.send(f.topics.requests(), "bos-2", "q2b", Events.request("q2b", "bos-2", ab)); // never backwards
      f.send(f.topics.completed(), "bos-3", "c3", Events.completed("c3", "bos-3", "3", List.of("x"), List.of("y")));

      awaitSeen(c, "credits-ledger", 5);
      awaitSeen(c, "results-store", 3);
      awaitSeen(c, "essay-lifecycle", 8);

      // credits: job 2 once, by the organisation; job 3 by the user (no org); job 4 cannot be paid, nothing debited
      assertThat(f.balance("org", "school-9")).isEqualTo(70);
      assertThat(f.balance("user", "t-1")).isEqualTo(5);
      assertThat(f.count("SELECT count(*) FROM credit_operations")).isEqualTo(3);
      assertThat(f.count("SELECT count(*) FROM credit_operations WHERE outcome = 'INSUFFICIENT_CREDITS'"))
          .isEqualTo(1);

      // results: one job, the first results kept, the different ones reported
      assertThat(f.count("SELECT count(*) FROM completed_jobs")).isEqualTo(1);
      assertThat(f.count("SELECT rank FROM essay_results WHERE essay_id = 'essay-a'")).isEqualTo(1);
      assertThat(f.conflicts()).singleElement()
          .satisfies(x -> assertThat(x.eventId()).isEqualTo("r3"))
          .satisfies(x -> assertThat(x.keptEventId()).isEqualTo("r1"));

      // lifecycle: one outcome per batch, the first one; no essay moved back
      assertThat(f.count("SELECT count(*) FROM phase_outcomes")).isEqualTo(2);
      assertThat(f.outcome("bos-2")).isEqualTo("COMPLETED");
      assertThat(f.outcome("bos-3")).isEqualTo("FAILED");
      assertThat(f.states("bos-2")).isEqualTo(Map.of(
          "essay-a", EssayState.CJ_SUCCESS, "essay-b", EssayState.CJ_SUCCESS));
      assertThat(f.states("bos-3")).isEqualTo(Map.of(
          "x", EssayState.CJ_FAILED, "y", EssayState.CJ_FAILED));
    }
  }

  @Test
  void poisonRecordsAreDeadLetteredWithoutBlockingTheirPartition() {
    try (ConsumerFixture f = new ConsumerFixture(1); ReferenceConsumers c = f.start("poison")) {
      f.grant("user", "t-5", 100);
      String topic = f.topics.resourceConsumption();
      f.send(topic, "k", "p1", "{not json");
      f.send(topic, "k", "p2", Events.consumption("p2", "5", "t-5", null, -3));
      f.send(topic, "k", "p3", Events.consumption("p3", "5", "t-5", null, 7).replace("cj_comparison", "gpu_hours"));
      f.send(topic, "k", "ok", Events.consumption("ok", "5", "t-5", null, 7)); // same partition, behind them
      f.send(f.topics.results(), "k", "p4", "{\"event_id\":\"p4\",\"data\":{\"cj_assessment_job_id\":\"1\"}}");
      awaitSeen(c, "credits-ledger", 4);
      awaitSeen(c, "results-store", 1);
      assertThat(f.balance("user", "t-5")).isEqualTo(93);
      assertThat(ConsumerFixture.readAll(f.topics.deadLetters()))
          .extracting(r -> ConsumerFixture.header(r, "event_id") + ": " + ConsumerFixture.header(r, "dlq_reason"))
          .containsExactlyInAnyOrder(
              "p1: not JSON: JsonParseException",
              "p2: data.quantity must be a whole number >= 0",
              "p3: resource_type gpu_hours has no price (known: [cj_comparison])",
              "p4: data.essay_results must be an array");
    }
  }
}
