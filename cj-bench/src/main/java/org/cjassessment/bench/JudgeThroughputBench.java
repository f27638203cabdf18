package org.cjassessment.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cjassessment.embedded.EmbeddedKafka;
import org.cjassessment.judge.JudgeWorker;
import org.cjassessment.judge.PairToJudge;
import org.cjassessment.judge.llm.LlmSettings;
import org.cjassessment.judge.openai.OpenAiJudge;
import org.cjassessment.testing.llm.FakeOpenAiServer;
import org.cjassessment.testing.llm.RecordedRequest;

/**
 * Judge worker throughput: {@code requests} comparison requests on the embedded broker, the worker with the OpenAI
 * judge at {@code concurrency}, a fake OpenAI server answering each call after {@code latency} ms. The ideal is
 * concurrency / latency (32 / 0.5 s = 64 requests/s). Measured from the first call the server received to the last
 * callback the broker acknowledged (the consumer group's join is not judging). Baseline in the same run, after a
 * warm-up: the same number of calls through the same judge and server, driven directly by {@code concurrency}
 * callers without Kafka — what HTTP and the fake allow on this machine.
 *
 * <p>{@code java -cp cj-bench/target/benchmarks.jar org.cjassessment.bench.JudgeThroughputBench
 * [requests=1000] [concurrency=32] [latency=500]}
 */
public final class JudgeThroughputBench {

  private JudgeThroughputBench() {}

  public static void main(String[] args) throws Exception {
    int requests = arg(args, "requests", 1000);
    int concurrency = arg(args, "concurrency", 32);
    int latency = arg(args, "latency", 500);
    double ideal = concurrency * 1000.0 / latency;
    System.out.printf(Locale.ROOT, "judge throughput: %d requests, concurrency %d, provider latency %d ms, "
        + "ideal %.1f requests/s; %d cores%n", requests, concurrency, latency, ideal,
        Runtime.getRuntime().availableProcessors());
    try (FakeOpenAiServer server = new FakeOpenAiServer()) {
      server.latency(Duration.ofMillis(latency));
      LlmSettings settings = LlmSettings.of(server.baseUrl(), "sk-bench", "bench-model");
      double direct;
      try (OpenAiJudge judge = new OpenAiJudge(settings)) {
        direct(judge, server, 2 * concurrency, concurrency); // warm-up: JIT, connections
        direct = direct(judge, server, requests, concurrency);
      }
      System.out.printf(Locale.ROOT, "baseline, judge called directly by %d callers: %.1f requests/s "
          + "(%.2f of ideal)%n", concurrency, direct, direct / ideal);
      try (EmbeddedKafka kafka = EmbeddedKafka.start(); OpenAiJudge judge = new OpenAiJudge(settings)) {
        double worker = worker(kafka, judge, server, requests, concurrency);
        System.out.printf(Locale.ROOT, "judge worker (Kafka in, callbacks out, offsets committed): %.1f requests/s"
            + " = %.2f of ideal, %.2f of the direct baseline; at most %d calls at once at the server%n", worker,
            worker / ideal, worker / direct, server.maxConcurrent());
      }
    }
  }

  private static double direct(OpenAiJudge judge, FakeOpenAiServer server, int n, int concurrency)
      throws Exception {
    Semaphore slots = new Semaphore(concurrency);
    List<CompletableFuture<?>> all = new ArrayList<>();
    int before = server.calls();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      slots.acquire();
      all.add(judge.judge(PairToJudge.of(UUID.randomUUID().toString(), "a", essay(i), "b", essay(i + 1)))
          .toCompletableFuture().whenComplete((o, e) -> slots.release()));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (server.calls() - before != n) {
      throw new IllegalStateException("expected " + n + " calls, server saw " + (server.calls() - before));
    }
    return n / seconds;
  }

  private static double worker(EmbeddedKafka kafka, OpenAiJudge judge, FakeOpenAiServer server, int n,
      int concurrency) throws Exception {
    String requests = "bench.judge.requests";
    String callbacks = "bench.judge.callbacks";
    kafka.createTopics(3, requests, callbacks);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      for (int i = 0; i < n; i++) {
        String id = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(requests, id.getBytes(StandardCharsets.UTF_8), request(id, i,
            callbacks)));
      }
    }
    int before = server.requests().size();
    AtomicLong lastAck = new AtomicLong();
    try (JudgeWorker worker = JudgeWorker.builder().bootstrapServers(kafka.bootstrapServers())
        .requestTopic(requests).groupId("bench-judge").judge(judge).concurrency(concurrency).build().start()) {
      while (worker.stats().answered() < n) {
        Thread.sleep(5); // a benchmark's wait, not a test
      }
      lastAck.set(System.nanoTime());
      if (worker.stats().errored() > 0) {
        throw new IllegalStateException(worker.stats().errored() + " error callbacks; the figure would be wrong");
      }
    }
    RecordedRequest first = server.requests().get(before);
    long firstNanos = System.nanoTime() - Duration.between(first.receivedAt(), java.time.Instant.now()).toNanos();
    double seconds = (lastAck.get() - firstNanos) / 1e9;
    long published = countCallbacks(kafka, callbacks, n);
    if (published != n) {
      throw new IllegalStateException("expected " + n + " callbacks on the topic, found " + published);
    }
    return n / seconds;
  }

  private static long countCallbacks(EmbeddedKafka kafka, String topic, int expected) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "bench-count",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      long count = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (count < expected && System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      count += consumer.poll(Duration.ofMillis(500)).count();
      return count;
    }
  }

  /** About 400 words, like a typical essay (the prompt size affects serialisation, not the fake's latency). */
  private static String essay(int i) {
    return ("Essay " + i + ": " + "School uniforms shape how students see each other and themselves. ").repeat(40);
  }

  private static byte[] request(String id, int i, String callbackTopic) {
    String json = """
        {"event_id":"%s","event_type":"huleedu.cj_assessment.comparison_requested.v1",
         "event_timestamp":"2026-01-01T00:00:00Z","source_service":"bench","schema_version":1,
         "correlation_id":"%s","data_schema_uri":null,"metadata":{},
         "data":{"correlation_id":"%s","cj_batch_id":"1","bos_batch_id":"bench","wave":1,
                 "essay_a":{"essay_id":"a%d","text":"%s"},"essay_b":{"essay_id":"b%d","text":"%s"},
                 "callback_topic":"%s","assignment_context":null,"llm_config_overrides":{},
                 "request_metadata":{"essay_a_id":"a%d","essay_b_id":"b%d"}}}
        """.formatted(UUID.randomUUID(), id, id, i, essay(i), i, essay(i + 1), callbackTopic, i, i);
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static int arg(String[] args, String name, int fallback) {
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        return Integer.parseInt(a.substring(name.length() + 1));
      }
    }
    return fallback;
  }
}
