package org.cjassessment.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cj assess --out DIR} resumes on the data of its last run: a restart on the same root must find the rows,
 * the records and the committed consumer offsets again, and a second process on a root in use is refused.
 */
class PersistentInfrastructureTest {

  @TempDir
  Path root;

  @Test
  void aRestartOnTheSameRootFindsRowsRecordsAndOffsets() throws Exception {
    try (EmbeddedInfrastructure first = EmbeddedInfrastructure.startPersistent(root)) {
      sql(first, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('row-1')");
      first.kafka().createTopics("kept-topic");
      try (KafkaProducer<String, String> producer = producer(first)) {
        producer.send(new ProducerRecord<>("kept-topic", "k", "record-1")).get();
        producer.send(new ProducerRecord<>("kept-topic", "k", "record-2")).get();
      }
      try (KafkaConsumer<String, String> consumer = consumer(first)) {
        TopicPartition p = new TopicPartition("kept-topic", 0);
        consumer.commitSync(Map.of(p, new OffsetAndMetadata(1)));
      }
      assertThatThrownBy(() -> EmbeddedDatabase.startPersistent(root.resolve("postgres")))
          .isInstanceOf(DirectoryInUseException.class);
    }

    try (EmbeddedInfrastructure second = EmbeddedInfrastructure.startPersistent(root)) {
      assertThat(query(second, "SELECT v FROM kept")).isEqualTo("row-1");
      try (KafkaConsumer<String, String> consumer = consumer(second)) {
        consumer.subscribe(List.of("kept-topic"));
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (values.isEmpty() && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            values.add(r.value());
          }
        }
        // the committed offset survived: the group resumes after record-1
        assertThat(values).containsExactly("record-2");
      }
    }
  }

  private static void sql(EmbeddedInfrastructure infra, String statements) throws Exception {
    try (Connection c = infra.database().dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(statements);
    }
  }

  private static String query(EmbeddedInfrastructure infra, String select) throws Exception {
    try (Connection c = infra.database().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(select)) {
      r.next();
      return r.getString(1);
    }
  }

  private static KafkaProducer<String, String> producer(EmbeddedInfrastructure infra) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers()),
        new StringSerializer(), new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer(EmbeddedInfrastructure infra) {
    return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "kept-group", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
        new StringDeserializer(), new StringDeserializer());
  }
}
