package org.cjassessment.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cjassessment.embedded.EmbeddedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfrastructure.class)
class SharedInfrastructureSmokeTest {

  private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);

  @Test
  void writesAndReadsARowInAFreshDatabase() throws SQLException {
    TestDatabase database = SharedInfrastructure.freshDatabase();

    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE essay (id bigint PRIMARY KEY, title text NOT NULL)");
      statement.execute("INSERT INTO essay VALUES (1, 'On judgement')");
      try (ResultSet rows = statement.executeQuery("SELECT title FROM essay WHERE id = 1")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString("title")).isEqualTo("On judgement");
      }
    }
  }

  @Test
  void freshDatabasesAreEmptyAndDistinct() throws SQLException {
    TestDatabase first = SharedInfrastructure.freshDatabase();
    TestDatabase second = SharedInfrastructure.freshDatabase();
    try (Connection connection = first.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE only_in_first (id int)");
    }

    assertThat(second.name()).isNotEqualTo(first.name());
    assertThat(userTables(second)).isEmpty();
  }

  @Test
  void idempotentProducerRecordIsConsumedReadCommitted() {
    String topic = SharedInfrastructure.freshTopic("smoke-idempotent");

    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(Map.of()))) {
      producer.send(new ProducerRecord<>(topic, "essay-1", "judged")).get();
    } catch (Exception e) {
      throw new AssertionError("send failed", e);
    }

    assertThat(consumeUntil(topic, 1)).containsExactly("judged");
  }

  @Test
  void readCommittedConsumerSeesCommittedTransactionsOnly() {
    String topic = SharedInfrastructure.freshTopic("smoke-transactional");
    String transactionalId = "smoke-" + UUID.randomUUID();

    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerConfig(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId)))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "a", "committed-1"));
      producer.send(new ProducerRecord<>(topic, "b", "committed-2"));
      producer.commitTransaction();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "c", "aborted"));
      producer.flush();
      producer.abortTransaction();

      // a last committed transaction: once it is visible, the aborted one has been decided too
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "d", "committed-3"));
      producer.commitTransaction();
    }

    assertThat(consumeUntil(topic, 3)).containsExactly("committed-1", "committed-2", "committed-3");
  }

  @Test
  void isTheSameInfrastructureAsEveryOtherTestClassSees(EmbeddedInfrastructure injected) {
    assertThat(injected).isSameAs(SharedInfrastructure.get());
    assertThat(FirstSeenInfrastructure.recordOrGet(injected)).isSameAs(injected);
    assertThat(SharedInfrastructure.startsInThisJvm()).isEqualTo(1);
  }

  private static List<String> userTables(TestDatabase database) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    }
    return tables;
  }

  private static Map<String, Object> producerConfig(Map<String, Object> extra) {
    Map<String, Object> config = new java.util.HashMap<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    config.putAll(extra);
    return config;
  }

  /** Reads the single-partition topic from the start, read_committed, until {@code count} values arrived. */
  private static List<String> consumeUntil(String topic, int count) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      await().atMost(KAFKA_WAIT).until(() -> {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          values.add(record.value());
        }
        return values.size() >= count;
      });
      // anything beyond `count` would be a record that should not be visible
      consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
    }
    return values;
  }
}
