package org.cjassessment.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cjassessment.testing.SharedInfrastructure;

/** Real producers and readers on the shared broker. */
final class KafkaFixture {

  private KafkaFixture() {}

  static KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaProducer<>(p);
  }

  /** Sends synchronously, with an {@code event_id} header when {@code eventId} is not null. */
  static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String eventId, String value)
      throws Exception {
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key == null ? null : key.getBytes(UTF_8),
        value == null ? null : value.getBytes(UTF_8));
    if (eventId != null) {
      r.headers().add("event_id", eventId.getBytes(UTF_8));
    }
    producer.send(r).get();
  }

  static KafkaConsumer<byte[], byte[]> groupConsumer(String group) {
    return new KafkaConsumer<>(InboxConsumer.consumerProperties(SharedInfrastructure.bootstrapServers(), group));
  }

  /** Everything {@code topic} holds now (all partitions, from the beginning). */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> p = InboxConsumer.consumerProperties(SharedInfrastructure.bootstrapServers(), "unused");
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
}
