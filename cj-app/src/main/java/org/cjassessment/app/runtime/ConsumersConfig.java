package org.cjassessment.app.runtime;

import java.time.Duration;
import java.util.Map;
import org.cjassessment.consumers.ConsumerTopics;
import org.cjassessment.consumers.ReferenceConsumers;

/**
 * What {@code cj consumers} needs: the database and broker of {@link ServiceConfig} (CJ_DB_URL, CJ_KAFKA_BOOTSTRAP_SERVERS,
 * the CJ_TOPIC_* names our service publishes to) plus the consumers' own CJ_CONSUMERS_* settings.
 */
public record ConsumersConfig(ServiceConfig service, ReferenceConsumers.Settings settings) {

  public static ConsumersConfig fromEnvironment(Map<String, String> env) {
    ServiceConfig service = ServiceConfig.fromEnvironment(env);
    var t = service.settings().topics();
    ConsumerTopics topics = new ConsumerTopics(t.requests(), t.completed(), t.failed(), t.results(),
        t.resourceConsumption(),
        ServiceConfig.kafkaName(env, "CJ_CONSUMERS_DEAD_LETTER_TOPIC", ConsumerTopics.DEFAULT_DEAD_LETTERS));
    ReferenceConsumers.Settings d = ReferenceConsumers.Settings.defaults();
    ReferenceConsumers.Settings settings = new ReferenceConsumers.Settings(topics,
        ServiceConfig.str(env, "CJ_CONSUMERS_GROUP_PREFIX", d.groupPrefix()),
        ServiceConfig.integer(env, "CJ_CONSUMERS_MAX_ATTEMPTS", d.maxAttempts(), 1, 100),
        Duration.ofHours(ServiceConfig.integer(env, "CJ_INBOX_RETENTION_HOURS", (int) d.retention().toHours(), 1,
            100_000)),
        ServiceConfig.integer(env, "CJ_CREDITS_OPENING_BALANCE", (int) d.openingBalance(), 0, Integer.MAX_VALUE));
    return new ConsumersConfig(service, settings);
  }
}
