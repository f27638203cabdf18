package org.cjassessment.app.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.errors.WakeupException;
import org.cjassessment.service.Json;

/**
 * A stand-in for the LLM Provider Service, speaking the real wire protocol over the real broker: it consumes
 * comparison requests and answers each with an upstream LLMComparisonResultV1 on the callback topic. Essays with a
 * higher number win more often (logistic); {@code copies} &gt; 1 answers every request several times (at-least-once
 * delivery as a misbehaving provider would). How the answers travel is an {@link Answers}: at once by default,
 * or late, shuffled and repeated ({@link UnrulyAnswers}).
 */
final class TestJudge implements Runnable, AutoCloseable {

  /** Delivers the judge's answers to the callback topic. */
  interface Answers extends AutoCloseable {
    void answer(String topic, byte[] key, byte[] value);

    /** Called after every poll of the request topic (about every 100 ms), answers or not. */
    default void tick() {}

    @Override
    void close();
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Answers answers;
  private final String requests;
  private final double errorRate;
  private final Random random = new Random(42);
  private final Random errors = new Random(10); // its own stream: the judgements stay those of an error-free judge
  private final AtomicInteger answered = new AtomicInteger();
  private volatile boolean running = true;
  private final Thread thread;

  TestJudge(String bootstrap, String requests, int copies) {
    this(bootstrap, requests, copies, 0);
  }

  /** @param errorRate share of requests answered with a provider error (seeded, like the judgements) */
  TestJudge(String bootstrap, String requests, int copies, double errorRate) {
    this(bootstrap, requests, new PromptAnswers(bootstrap, copies), errorRate);
  }

  /** A judge whose answers travel through {@code answers} (closed with the judge). */
  TestJudge(String bootstrap, String requests, Answers answers, double errorRate) {
    this.requests = requests;
    this.answers = answers;
    this.errorRate = errorRate;
    consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "test-judge-" + requests,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    thread = new Thread(this, "test-judge");
    thread.setDaemon(true);
    thread.start();
  }

  int answered() {
    return answered.get();
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(requests));
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          answer(Json.mapper().readTree(r.value()));
        }
        answers.tick();
      }
    } catch (WakeupException e) {
      // closing
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } finally {
      consumer.close();
    }
  }

  private void answer(JsonNode envelope) {
    JsonNode data = envelope.get("data");
    String correlationId = data.get("correlation_id").asText();
    String a = data.get("essay_a").get("essay_id").asText();
    String b = data.get("essay_b").get("essay_id").asText();
    String callbackTopic = data.get("callback_topic").asText();
    boolean firstWins = random.nextDouble() < 1 / (1 + Math.exp(-(ability(a) - ability(b))));
    boolean error = errorRate > 0 && errors.nextDouble() < errorRate;
    String eventId = UUID.randomUUID().toString();
    String json = error ? """
        {"event_id":"%s","event_type":"huleedu.llm_provider.comparison_result.v1","event_timestamp":"%s",
         "source_service":"llm_provider_service","schema_version":1,"correlation_id":"%s","metadata":{},
         "data":{"request_id":"%s","correlation_id":"%s","winner":null,
                 "error_detail":{"error_code":"EXTERNAL_SERVICE_ERROR","message":"provider overloaded"},
                 "provider":"mock","model":"test-judge","response_time_ms":3,"cost_estimate":0.0}}
        """.formatted(eventId, Instant.now(), UUID.randomUUID(), eventId, correlationId) : """
        {"event_id":"%s","event_type":"huleedu.llm_provider.comparison_result.v1","event_timestamp":"%s",
         "source_service":"llm_provider_service","schema_version":1,"correlation_id":"%s","metadata":{},
         "data":{"request_id":"%s","correlation_id":"%s","winner":"%s","justification":"better structure",
                 "confidence":4.5,"provider":"mock","model":"test-judge","response_time_ms":3,
                 "token_usage":{"prompt_tokens":200,"completion_tokens":30,"total_tokens":230},
                 "cost_estimate":0.002,"requested_at":"%s","completed_at":"%s","request_metadata":{}}}
        """.formatted(eventId, Instant.now(), UUID.randomUUID(), eventId, correlationId,
        firstWins ? "Essay A" : "Essay B", Instant.now(), Instant.now());
    answers.answer(callbackTopic, correlationId.getBytes(StandardCharsets.UTF_8),
        json.getBytes(StandardCharsets.UTF_8));
    answered.incrementAndGet();
  }

  /** s07 → 7 × 0.3; anchors "A_*" high, "F_*" low. */
  static double ability(String essayId) {
    if (essayId.startsWith("A_")) {
      return 4;
    }
    if (essayId.startsWith("F_")) {
      return -1;
    }
    return 0.3 * Integer.parseInt(essayId.replaceAll("\\D", "").isEmpty() ? "0" : essayId.replaceAll("\\D", ""));
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
    answers.close();
  }

  /** Every answer sent at once, {@code copies} times, flushed before the next request is read. */
  private static final class PromptAnswers implements Answers {
    private final KafkaProducer<byte[], byte[]> producer;
    private final int copies;

    PromptAnswers(String bootstrap, int copies) {
      this.copies = copies;
      producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @Override
    public void answer(String topic, byte[] key, byte[] value) {
      for (int i = 0; i < copies; i++) {
        producer.send(new ProducerRecord<>(topic, key, value));
      }
      producer.flush();
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
