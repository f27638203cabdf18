package org.cjassessment.consumers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.cjassessment.consumers.credits.CreditStore;
import org.cjassessment.consumers.credits.CreditsLedger;
import org.cjassessment.consumers.lifecycle.EssayLifecycle;
import org.cjassessment.consumers.lifecycle.LifecycleStore;
import org.cjassessment.consumers.results.ResultStore;
import org.cjassessment.consumers.results.ResultsStore;
import org.cjassessment.inbox.InboxConsumer;
import org.cjassessment.inbox.InboxHandler;
import org.cjassessment.inbox.InboxStats;
import org.jdbi.v3.core.Jdbi;

/**
 * The three reference consumers, each an {@link InboxConsumer} with a consumer group of its own
 * ({@code <groupPrefix>.<name>}) on the topics it reads. The caller migrates the schema ({@link ConsumersSchema}),
 * passes a Jdbi and a factory of Kafka consumers, and closes this to stop them.
 */
public final class ReferenceConsumers implements AutoCloseable {

  /** What the three consumers need besides the database and the broker. */
  public record Settings(ConsumerTopics topics, String groupPrefix, int maxAttempts, Duration retention,
      long openingBalance) {

    public static Settings defaults() {
      return new Settings(ConsumerTopics.defaults(), "cj_reference_consumers", 5, Duration.ofDays(7), 0);
    }
  }

  private final List<InboxConsumer> consumers;

  private ReferenceConsumers(List<InboxConsumer> consumers) {
    this.consumers = consumers;
  }

  /**
   * Starts the three loops.
   *
   * @param kafkaConsumers builds a Kafka consumer for a group id (e.g. from {@link InboxConsumer#consumerProperties})
   * @param deadLetterProducer sends dead letters (shared; the loops send synchronously)
   */
  public static ReferenceConsumers start(Jdbi jdbi, Function<String, Consumer<byte[], byte[]>> kafkaConsumers,
      Producer<byte[], byte[]> deadLetterProducer, Settings settings) {
    ConsumerTopics t = settings.topics();
    Map<String, InboxHandler> handlers = Map.of(
        CreditsLedger.NAME, new CreditsLedger(new CreditStore(), CreditsLedger.defaultPrices(),
            settings.openingBalance()),
        ResultsStore.NAME, new ResultsStore(new ResultStore()),
        EssayLifecycle.NAME, new EssayLifecycle(new LifecycleStore(), t));
    Map<String, List<String>> subscriptions = Map.of(
        CreditsLedger.NAME, List.of(t.resourceConsumption()),
        ResultsStore.NAME, List.of(t.results()),
        EssayLifecycle.NAME, List.of(t.requests(), t.completed(), t.failed()));
    List<InboxConsumer> started = new ArrayList<>();
    try {
      for (String name : List.of(CreditsLedger.NAME, ResultsStore.NAME, EssayLifecycle.NAME)) {
        started.add(InboxConsumer.builder()
            .name(name)
            .jdbi(jdbi)
            .consumer(kafkaConsumers.apply(settings.groupPrefix() + "." + name))
            .topics(subscriptions.get(name))
            .handler(handlers.get(name))
            .deadLetters(deadLetterProducer, t.deadLetters())
            .maxAttempts(settings.maxAttempts())
            .retention(settings.retention())
            .start());
      }
    } catch (RuntimeException e) {
      started.forEach(InboxConsumer::close);
      throw e;
    }
    return new ReferenceConsumers(List.copyOf(started));
  }

  public List<InboxConsumer> consumers() {
    return consumers;
  }

  public InboxStats stats(String name) {
    return consumers.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().stats();
  }

  public boolean healthy() {
    return consumers.stream().allMatch(InboxConsumer::healthy);
  }

  @Override
  public void close() {
    consumers.forEach(InboxConsumer::close);
  }
}
