package org.cjassessment.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outage as clients see it: the server stops and comes back on the same port with the same data, so a client
 * built before the outage (a JDBC URL, a producer's bootstrap address) works again without being told anything.
 */
class SamePortRestartTest {

  @TempDir
  Path root;

  @Test
  void postgresComesBackOnItsPortWithItsData() throws Exception {
    String url;
    int port;
    try (EmbeddedDatabase first = EmbeddedDatabase.startPersistent(root.resolve("pg"))) {
      url = first.jdbcUrl();
      port = first.port();
      try (Connection c = DriverManager.getConnection(url, first.username(), first.password());
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('row-1')");
      }
    }
    try (EmbeddedDatabase second = EmbeddedDatabase.startPersistent(root.resolve("pg"), port)) {
      assertThat(second.port()).isEqualTo(port);
      try (Connection c = DriverManager.getConnection(url, second.username(), second.password());
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT v FROM kept")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("row-1");
      }
    }
  }

  @Test
  void kafkaComesBackOnItsPortWithItsRecordsAndItsClientsReconnect() throws Exception {
    EmbeddedKafka first = EmbeddedKafka.startPersistent(root.resolve("kafka"));
    String bootstrap = first.bootstrapServers();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
      first.createTopics("kept-topic");
      producer.send(new ProducerRecord<>("kept-topic", "k", "before")).get();
      first.close();

      try (EmbeddedKafka second = EmbeddedKafka.startPersistent(root.resolve("kafka"), first.port())) {
        assertThat(second.bootstrapServers()).isEqualTo(bootstrap);
        // the producer from before the outage was never told anything: it finds the broker at the old address
        producer.send(new ProducerRecord<>("kept-topic", "k", "after")).get();
        assertThat(readAll(bootstrap, "kept-topic", 2)).containsExactly("before", "after");
      }
    }
  }

  private static List<String> readAll(String bootstrap, String topic, int expected) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "reader",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      return values;
    }
  }
}
