package org.cjassessment.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cjassessment.testing.SharedInfrastructure;

/** Reads a whole topic from the beginning with a real consumer (no group: assigned partitions). */
final class TopicReader implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

  TopicReader(String topic) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
    partitions =
        consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls until at least {@code count} records arrived in total. */
  List<ConsumerRecord<byte[], byte[]>> awaitAtLeast(int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> pollOnce() >= count);
    return List.copyOf(records);
  }

  /**
   * Everything the topic holds now: polls until every partition's position reached its end offset. Call it after
   * the rows are PUBLISHED, so every send (including any duplicate) has been acknowledged.
   */
  List<ConsumerRecord<byte[], byte[]>> readToEnd() {
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    await().atMost(Duration.ofSeconds(30))
        .until(() -> {
          pollOnce();
          return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
        });
    return List.copyOf(records);
  }

  private int pollOnce() {
    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
    return records.size();
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), UTF_8);
  }

  static UUID eventId(ConsumerRecord<byte[], byte[]> record) {
    return UUID.fromString(header(record, OutboxMessage.EVENT_ID));
  }

  static String key(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.key(), UTF_8);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
