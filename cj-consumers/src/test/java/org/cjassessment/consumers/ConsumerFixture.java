package org.cjassessment.consumers;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cjassessment.inbox.InboxConsumer;
import org.cjassessment.testing.SharedInfrastructure;
import org.jdbi.v3.core.Jdbi;

/** A fresh database with the consumers' schema, fresh topics, a producer, and readers on the shared servers. */
final class ConsumerFixture implements AutoCloseable {

  final Jdbi jdbi;
  final ConsumerTopics topics;
  final KafkaProducer<byte[], byte[]> producer;

  ConsumerFixture(int partitions) {
    DataSource ds = SharedInfrastructure.freshDatabase().dataSource();
    ConsumersSchema.migrate(ds);
    jdbi = Jdbi.create(ds);
    topics = new ConsumerTopics(SharedInfrastructure.freshTopic("requests", partitions),
        SharedInfrastructure.freshTopic("completed", partitions), SharedInfrastructure.freshTopic("failed", partitions),
        SharedInfrastructure.freshTopic("results", partitions),
        SharedInfrastructure.freshTopic("consumption", partitions), SharedInfrastructure.freshTopic("dlq"));
    producer = producer();
  }

  static KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaProducer<>(p);
  }

  ReferenceConsumers start(String groupPrefix) {
    ReferenceConsumers.Settings d = ReferenceConsumers.Settings.defaults();
    return ReferenceConsumers.start(jdbi, group -> new KafkaConsumer<>(
        InboxConsumer.consumerProperties(SharedInfrastructure.bootstrapServers(), group)), producer,
        new ReferenceConsumers.Settings(topics, groupPrefix, 3, d.retention(), 0));
  }

  /** Sends {@code value} with an event_id header (as our relay does), keyed like the relay (the aggregate id). */
  void send(String topic, String key, String eventId, String value) {
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key.getBytes(UTF_8),
        value == null ? null : value.getBytes(UTF_8));
    if (eventId != null) {
      r.headers().add("event_id", eventId.getBytes(UTF_8));
    }
    try {
      producer.send(r).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  int count(String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  long balance(String type, String id) {
    return jdbi.withHandle(h -> h.createQuery(
        "SELECT balance FROM credit_balances WHERE subject_type = :t AND subject_id = :i")
        .bind("t", type).bind("i", id).mapTo(Long.class).one());
  }

  void grant(String type, String id, long balance) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO credit_balances (subject_type, subject_id, balance) "
        + "VALUES (:t, :i, :b)").bind("t", type).bind("i", id).bind("b", balance).execute());
  }

  Map<String, org.cjassessment.consumers.lifecycle.EssayState> states(String batch) {
    return jdbi.withHandle(h -> new org.cjassessment.consumers.lifecycle.LifecycleStore().states(h, batch));
  }

  String outcome(String batch) {
    return jdbi.withHandle(h -> new org.cjassessment.consumers.lifecycle.LifecycleStore().outcome(h, batch))
        .orElse(null);
  }

  List<org.cjassessment.consumers.results.ResultStore.Conflict> conflicts() {
    return jdbi.withHandle(h -> new org.cjassessment.consumers.results.ResultStore().conflicts(h));
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> p = InboxConsumer.consumerProperties(SharedInfrastructure.bootstrapServers(), "x");
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(100)).forEach(out::add);
      }
      return out;
    }
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), UTF_8);
  }

  @Override
  public void close() {
    producer.close();
  }
}
