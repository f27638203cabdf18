package org.cjassessment.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cjassessment.judge.wire.WireJson;
import org.cjassessment.testing.SharedInfrastructure;

/** Requests shaped like the service's (its golden fixture), and helpers to read callbacks and offsets back. */
final class WireFixtures {

  private static final JsonSchema CALLBACK_SCHEMA = schema("huleedu.llm_provider.comparison_result.v1");

  private WireFixtures() {}

  /** A request as the service's WaveDispatcher writes it (contracts/…comparison_requested.v1). */
  static byte[] request(String correlationId, String aId, String aText, String bId, String bText,
      String callbackTopic) {
    try {
      ObjectNode root = (ObjectNode) WireJson.MAPPER.readTree(golden());
      root.put("event_id", UUID.nameUUIDFromBytes(("req:" + correlationId).getBytes(StandardCharsets.UTF_8))
          .toString());
      root.put("correlation_id", correlationId);
      ObjectNode data = (ObjectNode) root.get("data");
      data.put("correlation_id", correlationId);
      ((ObjectNode) data.get("essay_a")).put("essay_id", aId).put("text", aText);
      ((ObjectNode) data.get("essay_b")).put("essay_id", bId).put("text", bText);
      data.put("callback_topic", callbackTopic);
      ((ObjectNode) data.get("request_metadata")).put("essay_a_id", aId).put("essay_b_id", bId);
      return WireJson.MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] request(String correlationId, String aId, String bId, String callbackTopic) {
    return request(correlationId, aId, "Text of " + aId + ".", bId, "Text of " + bId + ".", callbackTopic);
  }

  static void send(String topic, List<byte[]> values) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      for (byte[] v : values) {
        producer.send(new ProducerRecord<>(topic, v));
      }
      producer.flush();
    }
  }

  /** Reads a topic from the start until {@code expected} records arrived (or 60 s passed). */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // one more short poll so that a duplicate beyond the expected count is seen too
      consumer.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }

  static JsonNode json(byte[] bytes) {
    try {
      return WireJson.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema errors of a callback (empty = valid against contracts/). */
  static Set<String> callbackErrors(byte[] bytes) {
    return CALLBACK_SCHEMA.validate(json(bytes)).stream().map(Object::toString).collect(Collectors.toSet());
  }

  /** The group's committed offset on partition 0 of the topic, or -1. */
  static long committed(String group, String topic) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        SharedInfrastructure.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get();
      OffsetAndMetadata o = offsets.get(new TopicPartition(topic, 0));
      return o == null ? -1 : o.offset();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Path contracts() {
    Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("contracts")) && Files.exists(p.resolve("pom.xml"))) {
        return p.resolve("contracts");
      }
    }
    throw new IllegalStateException("no contracts/ above " + dir);
  }

  private static String golden() {
    Path dir = contracts().getParent().resolve("cj-service/src/test/resources/golden");
    try {
      return Files.readString(dir.resolve("huleedu.cj_assessment.comparison_requested.v1.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonSchema schema(String topic) {
    try {
      JsonNode node = WireJson.MAPPER.readTree(contracts().resolve(topic + ".schema.json").toFile());
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node,
          SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
