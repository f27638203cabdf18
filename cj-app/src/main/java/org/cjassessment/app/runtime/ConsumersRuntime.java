package org.cjassessment.app.runtime;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.consumers.ConsumersSchema;
import org.cjassessment.consumers.ReferenceConsumers;
import org.cjassessment.inbox.InboxConsumer;
import org.cjassessment.outbox.OutboxRelay;
import org.cjassessment.service.Database;
import org.jdbi.v3.core.Jdbi;

/** The composition root of {@code cj consumers}: pool → schema → Jdbi → dead-letter producer → the three loops. */
public final class ConsumersRuntime implements AutoCloseable {

  private final HikariDataSource pool;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final ReferenceConsumers consumers;
  private final Jdbi jdbi;

  private ConsumersRuntime(HikariDataSource pool, KafkaProducer<byte[], byte[]> deadLetters,
      ReferenceConsumers consumers, Jdbi jdbi) {
    this.pool = pool;
    this.deadLetters = deadLetters;
    this.consumers = consumers;
    this.jdbi = jdbi;
  }

  public static ConsumersRuntime start(ConsumersConfig config) {
    ServiceConfig s = config.service();
    if (s.embeddedDatabase() || s.embeddedKafka()) {
      throw new IllegalArgumentException("ConsumersRuntime needs CJ_DB_URL and CJ_KAFKA_BOOTSTRAP_SERVERS resolved");
    }
    HikariDataSource pool = Database.pool(s.jdbcUrl(), s.dbUser(), s.dbPassword(), 4);
    KafkaProducer<byte[], byte[]> producer = null;
    try {
      ConsumersSchema.migrate(pool);
      Jdbi jdbi = Database.jdbi(pool);
      var props = OutboxRelay.producerProperties(s.bootstrapServers());
      props.put("client.id", s.instanceName() + "-consumers-dlq");
      producer = new KafkaProducer<>(props);
      ReferenceConsumers consumers = ReferenceConsumers.start(jdbi,
          group -> new KafkaConsumer<>(InboxConsumer.consumerProperties(s.bootstrapServers(), group)), producer,
          config.settings());
      return new ConsumersRuntime(pool, producer, consumers, jdbi);
    } catch (RuntimeException e) {
      if (producer != null) {
        producer.close();
      }
      pool.close();
      throw e;
    }
  }

  public ReferenceConsumers consumers() {
    return consumers;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public void close() {
    consumers.close();
    deadLetters.close();
    pool.close();
  }
}
