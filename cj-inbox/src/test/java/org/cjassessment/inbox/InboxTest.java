package org.cjassessment.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.cjassessment.testing.SharedInfrastructure;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfrastructure.class)
class InboxTest {

  private static Jdbi jdbi;

  @BeforeAll
  static void migrate() {
    DataSource ds = SharedInfrastructure.freshDatabase().dataSource();
    Inbox.migrate(ds);
    jdbi = Jdbi.create(ds);
  }

  @Test
  void anEventTakesEffectOnceAndARolledBackEffectLeavesNoMark() {
    assertThat(first("c", "e1")).isTrue();
    assertThat(first("c", "e1")).isFalse();
    assertThat(first("other", "e1")).isTrue();
    try {
      jdbi.useTransaction(h -> {
        assertThat(Inbox.firstDelivery(h, "c", "e2")).isTrue();
        throw new IllegalStateException("effect failed");
      });
    } catch (IllegalStateException expected) {
      // the dedupe row rolled back with the effect
    }
    assertThat(first("c", "e2")).isTrue();
  }

  private static boolean first(String consumer, String eventId) {
    return jdbi.inTransaction(h -> Inbox.firstDelivery(h, consumer, eventId));
  }

  @Test
  void theSetFormReturnsEachNewIdOnce() {
    Set<String> first = jdbi.inTransaction(h -> Inbox.firstDeliveries(h, "s", List.of("a", "b", "a", "c")));
    assertThat(first).containsExactlyInAnyOrder("a", "b", "c");
    Set<String> second = jdbi.inTransaction(h -> Inbox.firstDeliveries(h, "s", List.of("a", "d")));
    assertThat(second).containsExactly("d");
  }

  @Test
  void concurrentDeliveriesOfOneEventTakeEffectOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      results.add(pool.submit(() -> first("race", "same")));
    }
    int winners = 0;
    for (Future<Boolean> f : results) {
      winners += f.get() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(winners).isEqualTo(1);
  }
}
