package org.cjassessment.app.assess;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.service.Json;
import org.cjassessment.service.Topics;

/**
 * Reads a batch's outcome back from the broker, as a downstream consumer would ({@code read_committed}, from the
 * beginning): how many records each output topic holds for the batch (its events have deterministic ids) and the
 * result event itself. Waits until the terminal events arrived, then reads every topic to its end, so a
 * duplicate would be counted.
 */
final class OutputTopics {

  /** Records of this batch per output topic (by event kind), and the payload of its result event. */
  record Readback(Map<EventKind, Integer> records, Optional<JsonNode> result) {}

  private static final List<EventKind> KINDS = List.of(EventKind.COMPLETED, EventKind.RESULT_PUBLISHED,
      EventKind.RESOURCE_CONSUMPTION, EventKind.FAILED);

  private OutputTopics() {}

  /** @param expected the kinds the batch's terminal state published; waited for up to {@code timeout} */
  static Readback read(String bootstrapServers, Topics topics, long jobId, List<EventKind> expected,
      Duration timeout) {
    Map<String, EventKind> kindByEventId = new HashMap<>();
    Map<String, EventKind> kindByTopic = new HashMap<>();
    for (EventKind kind : KINDS) {
      kindByEventId.put(kind.eventId(Long.toString(jobId)).toString(), kind);
      kindByTopic.put(topic(topics, kind), kind);
    }
    Map<EventKind, Integer> counts = new LinkedHashMap<>();
    KINDS.forEach(k -> counts.put(k, 0));
    JsonNode[] result = new JsonNode[1];
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "cj-assess-readback-" + UUID.randomUUID(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : kindByTopic.keySet()) {
        consumer.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      Map<TopicPartition, Long> end = null;
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          EventKind kind = kindByEventId.get(header(r, "event_id"));
          if (kind != null && kind == kindByTopic.get(r.topic())) {
            counts.merge(kind, 1, Integer::sum);
            if (kind == EventKind.RESULT_PUBLISHED) {
              result[0] = Json.mapper().readTree(r.value()).get("data");
            }
          }
        }
        if (end == null && expected.stream().allMatch(k -> counts.get(k) > 0)) {
          end = consumer.endOffsets(partitions); // everything published up to now, duplicates included
        }
        if (end != null && reached(consumer, end)) {
          break;
        }
      }
      return new Readback(counts, Optional.ofNullable(result[0]));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the result event is not JSON", e);
    }
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  static String topic(Topics topics, EventKind kind) {
    return switch (kind) {
      case COMPLETED -> topics.completed();
      case RESULT_PUBLISHED -> topics.results();
      case RESOURCE_CONSUMPTION -> topics.resourceConsumption();
      case FAILED -> topics.failed();
      default -> throw new IllegalArgumentException("not an output topic: " + kind);
    };
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
