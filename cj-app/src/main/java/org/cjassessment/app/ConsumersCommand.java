package org.cjassessment.app;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cjassessment.app.runtime.ConsumersConfig;
import org.cjassessment.app.runtime.ConsumersRuntime;
import org.cjassessment.app.runtime.ServiceConfig;
import org.cjassessment.embedded.EmbeddedInfrastructure;
import org.cjassessment.inbox.InboxConsumer;
import picocli.CommandLine.Command;

@Command(
    name = "consumers",
    mixinStandardHelpOptions = true,
    description = {
        "Run the reference consumers of our output topics until stopped: a credits ledger (like Entitlements),",
        "a results store (like RAS) and an essay lifecycle (like ELS), each applying every event once on its own",
        "tables. Same CJ_DB_URL, CJ_KAFKA_BOOTSTRAP_SERVERS and CJ_TOPIC_* as cj serve, plus CJ_CONSUMERS_* (README).",
        "Without CJ_DB_URL and CJ_KAFKA_BOOTSTRAP_SERVERS it starts an embedded PostgreSQL and Kafka broker."
    })
final class ConsumersCommand implements Callable<Integer> {

  @Override
  public Integer call() throws InterruptedException {
    ConsumersConfig config = config(CjCommand.environment());
    EmbeddedInfrastructure infra = null;
    if (config.service().embeddedDatabase() || config.service().embeddedKafka()) {
      if (!(config.service().embeddedDatabase() && config.service().embeddedKafka())) {
        throw new UserInputException("set both CJ_DB_URL and CJ_KAFKA_BOOTSTRAP_SERVERS, or neither (embedded)");
      }
      infra = EmbeddedInfrastructure.start();
      System.err.println("cj consumers: embedded infrastructure: " + infra.summary());
      Map<String, String> env = new HashMap<>(CjCommand.environment());
      env.putAll(ServiceConfig.infrastructure(infra.database().jdbcUrl(), infra.database().username(),
          infra.database().password(), infra.kafka().bootstrapServers()));
      config = config(env);
      infra.kafka().createTopics(config.service().topicPartitions(), config.settings().topics().all());
    }
    ConsumersRuntime runtime = ConsumersRuntime.start(config);
    System.err.println("cj consumers: running " + runtime.consumers().consumers().stream().map(InboxConsumer::name)
        .toList() + " in groups " + config.settings().groupPrefix() + ".*; dead letters to "
        + config.settings().topics().deadLetters());
    CountDownLatch stopped = new CountDownLatch(1);
    EmbeddedInfrastructure started = infra;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      runtime.consumers().consumers().forEach(c -> System.err.println("cj consumers: " + c.name() + " "
          + c.stats()));
      runtime.close();
      if (started != null) {
        started.close();
      }
      stopped.countDown();
    }, "cj-consumers-shutdown"));
    stopped.await();
    return 0;
  }

  private static ConsumersConfig config(Map<String, String> env) {
    try {
      return ConsumersConfig.fromEnvironment(env);
    } catch (ServiceConfig.ConfigException e) {
      throw new UserInputException(e.getMessage());
    }
  }
}
