package org.cjassessment.consumers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.cjassessment.consumers.lifecycle.EssayState;
import org.cjassessment.consumers.lifecycle.LifecycleStore;
import org.cjassessment.testing.SharedInfrastructure;
import org.jdbi.v3.core.Jdbi;

/** The SQL upsert of LifecycleStore follows EssayState for any order of events: an essay never moves backwards. */
class EssayLifecycleProperties {

  private static Jdbi jdbi;
  private static final AtomicInteger BATCHES = new AtomicInteger();
  private final LifecycleStore store = new LifecycleStore();

  @BeforeContainer
  static void database() {
    var ds = SharedInfrastructure.freshDatabase().dataSource();
    ConsumersSchema.migrate(ds);
    jdbi = Jdbi.create(ds);
  }

  @Provide
  Arbitrary<List<EssayState>> moves() {
    return Arbitraries.of(EssayState.class).list().ofMinSize(1).ofMaxSize(8);
  }

  @Property(tries = 60)
  void everyStepMatchesTheMachineAndNeverLeavesATerminalState(@ForAll("moves") List<EssayState> moves) {
    String batch = "prop-" + BATCHES.incrementAndGet();
    EssayState expected = null;
    for (EssayState move : moves) {
      jdbi.useTransaction(h -> store.move(h, batch, List.of("essay"), move, "event"));
      EssayState before = expected;
      expected = expected == null ? move : expected.apply(move);
      EssayState actual = jdbi.withHandle(h -> store.states(h, batch)).get("essay");
      assertThat(actual).isEqualTo(expected);
      if (before != null && before.terminal()) {
        assertThat(actual).isEqualTo(before);
      }
    }
  }
}
