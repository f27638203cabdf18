package org.cjassessment.app.runtime;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cjassessment.service.Topics;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;

/** Helpers for tests that run whole service instances on the shared PostgreSQL and Kafka. */
final class Runtimes {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private Runtimes() {}

  /** Topic names no other test uses. */
  static Topics freshTopics(String prefix) {
    String p = prefix + "-" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
    return new Topics(p + ".requests", p + ".callbacks", p + ".completed", p + ".failed", p + ".results",
        p + ".resource", p + ".comparisons", p + ".dlq");
  }

  /** A whole service configured as production is: through its CJ_* variables. */
  static ServiceConfig config(TestDatabase db, Topics topics, String instance) {
    return config(db, topics, instance, Map.of());
  }

  /** The same, with more CJ_* variables (or other values for the ones above). */
  static ServiceConfig config(TestDatabase db, Topics topics, String instance, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(environment(db, topics, instance));
    env.putAll(more);
    ServiceConfig config = ServiceConfig.fromEnvironment(env);
    if (!config.settings().topics().equals(topics)) {
      throw new IllegalStateException("CJ_TOPIC_* variables not applied: " + config.settings().topics());
    }
    return config;
  }

  /** The CJ_* variables of {@link #config}, to add to. */
  static Map<String, String> environment(TestDatabase db, Topics topics, String instance) {
    return environment(db.jdbcUrl(), db.username(), db.password(), SharedInfrastructure.bootstrapServers(), topics,
        instance);
  }

  /** The same on another database and broker than the shared ones. */
  static Map<String, String> environment(String jdbcUrl, String dbUser, String dbPassword, String bootstrap,
      Topics topics, String instance) {
    Map<String, String> env = new HashMap<>(ServiceConfig.infrastructure(jdbcUrl, dbUser, dbPassword, bootstrap));
    env.put("CJ_TOPIC_REQUESTS", topics.requests());
    env.put("CJ_TOPIC_CALLBACKS", topics.callbacks());
    env.put("CJ_TOPIC_COMPLETED", topics.completed());
    env.put("CJ_TOPIC_FAILED", topics.failed());
    env.put("CJ_TOPIC_RESULTS", topics.results());
    env.put("CJ_TOPIC_RESOURCE_CONSUMPTION", topics.resourceConsumption());
    env.put("CJ_TOPIC_COMPARISON_REQUESTS", topics.comparisonRequests());
    env.put("CJ_TOPIC_DEAD_LETTERS", topics.deadLetters());
    env.put("CJ_CREATE_TOPICS", "true");
    env.put("CJ_HTTP_PORT", "0");
    env.put("CJ_AUTH", "none"); // on loopback; the API keys are tested in cj-service and ServiceConfigTest
    env.put("CJ_INSTANCE_NAME", instance);
    // a group per test: with static membership (CJ_INSTANCE_NAME set) two runtimes of one name in one group fence
    env.put("CJ_CONSUMER_GROUP", topics.requests() + ".group");
    env.put("CJ_MONITOR_INTERVAL_SECONDS", "1");
    return env;
  }

  static KafkaProducer<byte[], byte[]> producer() {
    return producer(SharedInfrastructure.bootstrapServers());
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, null, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An upstream ELS_CJAssessmentRequestV1 envelope with inline texts and (extension) anchors. */
  static byte[] requestEvent(String batchId, String eventId, int students, Map<String, String> anchors,
      int maxComparisons) {
    String essays = java.util.stream.IntStream.range(0, students)
        .mapToObj(i -> "{\"essay_id\":\"%s-s%02d\",\"text_storage_id\":null,\"text\":\"Student essay %d text.\"}"
            .formatted(batchId, i, i))
        .collect(Collectors.joining(","));
    String anchorList = anchors.entrySet().stream()
        .map(e -> "{\"essay_id\":\"%s\",\"text\":\"Anchor essay.\",\"grade\":\"%s\"}".formatted(e.getKey(),
            e.getValue()))
        .collect(Collectors.joining(","));
    String json = """
        {"event_id":"%s","event_type":"huleedu.els.cj_assessment.requested.v1","event_timestamp":"%s",
         "source_service":"essay_lifecycle_service","schema_version":1,"correlation_id":"%s",
         "data_schema_uri":null,"metadata":{"max_comparisons":%d},
         "data":{"event_name":"els.cj_assessment.requested","entity_id":"%s","entity_type":"batch",
                 "parent_id":null,"timestamp":"%s",
                 "system_metadata":{"entity_id":"%s","entity_type":"batch","processing_stage":"pending"},
                 "essays_for_cj":[%s],"anchors":[%s],"language":"en","course_code":"ENG5",
                 "student_prompt_ref":null,"llm_config_overrides":null,"assignment_id":"asg-1",
                 "user_id":"teacher-1","org_id":"school-1"}}
        """.formatted(eventId, Instant.now(), UUID.randomUUID(), maxComparisons, batchId, Instant.now(), batchId,
        essays, anchorList);
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** Every record of a topic up to its current end, read from the beginning. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return readAll(SharedInfrastructure.bootstrapServers(), topic);
  }

  /** The same on another broker; committed records only (read_committed), as a downstream consumer reads. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
      });
      return out;
    }
  }

  /** Waits until every outbox row is published (nothing PENDING), so the topics hold every event. */
  static void awaitOutboxDrained(Jdbi jdbi) {
    await().atMost(Duration.ofSeconds(60)).until(() -> jdbi.withHandle(h -> h.createQuery(
        "SELECT count(*) FROM outbox WHERE status <> 'PUBLISHED'").mapTo(Integer.class).one()) == 0);
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
