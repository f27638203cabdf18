package org.cjassessment.consumers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.cjassessment.consumers.credits.CreditStore;
import org.cjassessment.consumers.credits.CreditsLedger;
import org.cjassessment.consumers.results.ResultStore;
import org.cjassessment.consumers.results.ResultsStore;
import org.cjassessment.inbox.InboxConsumer;
import org.cjassessment.inbox.InboxHandler;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A handler that fails half-way, and two instances of the consumers in one group. */
@ExtendWith(SharedInfrastructure.class)
class ConsumerFaultsTest {

  private static final Duration WAIT = Duration.ofSeconds(90);

  /** Runs the real handler, then fails the first {@code failures} times: after its writes, before the commit. */
  private static InboxHandler failingAfterTheEffect(InboxHandler real, int failures, AtomicInteger calls) {
    return (h, r) -> {
      real.handle(h, r);
      if (calls.incrementAndGet() <= failures) {
        throw new IllegalStateException("crash after the effect, before the commit");
      }
    };
  }

  private static InboxConsumer loop(ConsumerFixture f, String name, String topic, InboxHandler handler) {
    return InboxConsumer.builder()
        .name(name)
        .jdbi(f.jdbi)
        .consumer(new KafkaConsumer<>(InboxConsumer.consumerProperties(SharedInfrastructure.bootstrapServers(),
            "faults-" + name + "-" + topic)))
        .topics(List.of(topic))
        .handler(handler)
        .deadLetters(f.producer, f.topics.deadLetters())
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .start();
  }

  @Test
  void aHandlerFailureHalfWayLeavesOneEffect() {
    try (ConsumerFixture f = new ConsumerFixture(1)) {
      f.grant("org", "school-h", 100);
      AtomicInteger creditCalls = new AtomicInteger();
      AtomicInteger resultCalls = new AtomicInteger();
      f.send(f.topics.resourceConsumption(), "bos-h", "h1", Events.consumption("h1", "h", "t-1", "school-h", 30));
      f.send(f.topics.resourceConsumption(), "bos-h", "h2", Events.consumption("h2", "h", "t-1", "school-h", 30));
      f.send(f.topics.results(), "h", "hr", Events.result("hr", "h", "bos-h", List.of("a", "b", "c"), 2.0));
      try (InboxConsumer credits = loop(f, CreditsLedger.NAME, f.topics.resourceConsumption(),
          failingAfterTheEffect(new CreditsLedger(new CreditStore(), CreditsLedger.defaultPrices(), 0), 2,
              creditCalls));
          InboxConsumer results = loop(f, ResultsStore.NAME, f.topics.results(),
              failingAfterTheEffect(new ResultsStore(new ResultStore()), 2, resultCalls))) {
        await().atMost(WAIT).until(() -> credits.stats().applied() == 2 && results.stats().applied() == 1);
        assertThat(credits.stats().retries()).isEqualTo(2);
        assertThat(results.stats().retries()).isEqualTo(2);
      }
      assertThat(f.balance("org", "school-h")).isEqualTo(70); // h2 is a logical duplicate of h1
      assertThat(f.count("SELECT count(*) FROM credit_operations")).isEqualTo(1);
      assertThat(f.count("SELECT count(*) FROM completed_jobs")).isEqualTo(1);
      assertThat(f.count("SELECT count(*) FROM essay_results")).isEqualTo(3);
      assertThat(ConsumerFixture.readAll(f.topics.deadLetters())).isEmpty();
    }
  }

  @Test
  void twoInstancesInOneGroupShareThePartitionsAndChargeEachJobOnce() {
    try (ConsumerFixture f = new ConsumerFixture(4);
        ReferenceConsumers first = f.start("pair");
        ReferenceConsumers second = f.start("pair")) {
      InboxConsumer a = first.consumers().get(0);
      InboxConsumer b = second.consumers().get(0);
      assertThat(a.name()).isEqualTo(CreditsLedger.NAME);
      await().atMost(WAIT).until(() -> !a.assignment().isEmpty() && !b.assignment().isEmpty()
          && a.assignment().size() + b.assignment().size() == 4);
      f.grant("org", "school-p", 1_000_000);
      long expected = 0;
      for (int job = 0; job < 40; job++) {
        String batch = "bos-p" + job;
        long q = 10 + job;
        expected += q;
        for (String id : List.of("p" + job, "p" + job, "p" + job + "-new")) { // a repeat and a logical duplicate
          f.send(f.topics.resourceConsumption(), batch, id, Events.consumption(id, "p" + job, "t-p", "school-p", q));
        }
      }
      await().atMost(WAIT).until(() -> a.stats().applied() + a.stats().duplicates() + b.stats().applied()
          + b.stats().duplicates() == 120);
      assertThat(a.stats().applied()).isPositive();
      assertThat(b.stats().applied()).isPositive();
      assertThat(f.count("SELECT count(*) FROM credit_operations")).isEqualTo(40);
      assertThat(f.balance("org", "school-p")).isEqualTo(1_000_000 - expected);
    }
  }
}
