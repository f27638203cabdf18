package org.cjassessment.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cjassessment.embedded.EmbeddedInfrastructure;
import org.cjassessment.outbox.JdbiOutboxStore;
import org.cjassessment.outbox.OutboxAdmin;
import org.cjassessment.outbox.OutboxMessage;
import org.cjassessment.outbox.OutboxRelay;
import org.cjassessment.outbox.OutboxSchema;
import org.cjassessment.outbox.RelayMetrics;
import org.jdbi.v3.core.Jdbi;

/**
 * Commit-to-broker latency of the outbox on the embedded servers (a real PostgreSQL and a real KRaft broker).
 *
 * <p>A transaction appends one event and commits; the relay publishes it; a real consumer receives it. "commit ->
 * consumer receipt" runs from the commit returning to the appender to the consumer's poll returning the record (one
 * JVM, one monotonic clock): the relay's claim, the broker round trip with {@code acks=all}, marking the row and the
 * consumer's fetch. "append -> broker ack" is the relay's own metric ({@link RelayMetrics#published}). Phases:
 * warm-up (discarded); a baseline that sends the same records straight to the producer, no database (the floor);
 * paced appends; a burst from several threads. Rows are keyed over {@code keys} aggregates.
 *
 * <pre>
 * ./mvnw -B -q -pl cj-bench -am package -DskipTests
 * java -cp cj-bench/target/benchmarks.jar org.cjassessment.bench.OutboxLatencyBench \
 *     [paced=2000] [rate=200] [burst=5000] [burstThreads=4] [keys=100] [wake=both|notify|inprocess]
 * </pre>
 *
 * {@code wake=both} is the production wiring (in-process hook for appends from this process, LISTEN/NOTIFY for
 * appends from other instances); {@code notify} measures the cross-process path alone.
 */
public final class OutboxLatencyBench {

  private static final String TOPIC = "outbox-latency-bench";
  private static final byte[] PAYLOAD = ("{\"event_type\":\"huleedu.cj_assessment.completed.v1\",\"data\":{"
      + "\"rankings\":[" + "{\"els_essay_id\":\"e\",\"score\":0.5,\"rank\":1},".repeat(20) + "{}]}}").getBytes(UTF_8);

  private final Map<UUID, Long> committedAt = new ConcurrentHashMap<>();
  private final Map<UUID, Long> receivedAt = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Long> appendToAckNanos = new ConcurrentLinkedQueue<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private final int keys;
  private Jdbi jdbi;
  private JdbiOutboxStore store;
  private OutboxAdmin admin;

  private OutboxLatencyBench(int keys) {
    this.keys = keys;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int paced = Integer.parseInt(options.getOrDefault("paced", "2000"));
    int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
    int burst = Integer.parseInt(options.getOrDefault("burst", "5000"));
    int burstThreads = Integer.parseInt(options.getOrDefault("burstThreads", "4"));
    int keys = Integer.parseInt(options.getOrDefault("keys", "100"));
    String wake = options.getOrDefault("wake", "both");
    if (!List.of("both", "notify", "inprocess").contains(wake)) {
      throw new IllegalArgumentException("wake=" + wake + ": use both (production wiring), notify or inprocess");
    }
    new OutboxLatencyBench(keys).run(paced, rate, burst, burstThreads, wake);
  }

  private void run(int paced, int rate, int burst, int burstThreads, String wake) throws Exception {
    System.out.printf(Locale.ROOT, "outbox latency bench: %d cores, Java %s, %s %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("os.name"), System.getProperty("os.arch"));
    try (EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start()) {
      System.out.println("infrastructure: " + infrastructure.summary());
      String jdbcUrl = infrastructure.database().createDatabase("outbox_latency_bench");
      infrastructure.kafka().createTopics(3, TOPIC);

      HikariConfig pool = new HikariConfig();
      pool.setJdbcUrl(jdbcUrl);
      pool.setUsername(infrastructure.database().username());
      pool.setPassword(infrastructure.database().password());
      pool.setMaximumPoolSize(burstThreads + 4); // appenders + the relay's three connections
      pool.setPoolName("bench");
      try (HikariDataSource dataSource = new HikariDataSource(pool);
          KafkaProducer<byte[], byte[]> producer =
              new KafkaProducer<>(OutboxRelay.producerProperties(infrastructure.kafka().bootstrapServers()));
          KafkaConsumer<byte[], byte[]> consumer = consumer(infrastructure.kafka().bootstrapServers());
          KafkaConsumer<byte[], byte[]> check =
              new KafkaConsumer<>(OutboxRelay.deliveryCheckProperties(infrastructure.kafka().bootstrapServers()))) {
        OutboxSchema.migrate(dataSource);
        jdbi = Jdbi.create(dataSource);
        store = new JdbiOutboxStore();
        admin = new OutboxAdmin(dataSource);

        AtomicBoolean consuming = new AtomicBoolean(true);
        Thread receiver = new Thread(() -> receive(consumer, consuming), "bench-consumer");
        receiver.start();

        OutboxRelay relay = OutboxRelay.builder()
            .name("bench-relay")
            .dataSource(dataSource)
            .producer(producer)
            .deliveryCheck(check) // as cj serve wires it (used only for rows that may have been sent before)
            .listen(!wake.equals("inprocess"))
            .metrics(new RelayMetrics() {
              @Override
              public void published(String topic, String eventType, Duration appendToAck) {
                appendToAckNanos.add(appendToAck.toNanos());
              }
            })
            .start();
        if (!wake.equals("notify")) {
          store.onAppendCommitted(relay::wake);
        }
        System.out.printf(Locale.ROOT, "wake-up: %s; keys: %d; payload: %d bytes; relay defaults%n",
            Map.of("both", "in-process hook + LISTEN/NOTIFY (production wiring)",
                "notify", "LISTEN/NOTIFY only (appends from another process)",
                "inprocess", "in-process hook only (no LISTEN)").get(wake),
            keys, PAYLOAD.length);
        try {
          phase("warm-up (discarded)", () -> pacedAppends(500, 500));
          phase(String.format(Locale.ROOT, "baseline: %d records produced directly (no outbox, no database), %d/s,"
              + " send().get() each", paced, rate), () -> directProduce(producer, paced, rate));
          phase(String.format(Locale.ROOT, "paced: %d events, one per transaction, %d/s", paced, rate),
              () -> pacedAppends(paced, rate));
          phase(String.format(Locale.ROOT, "burst: %d events, one per transaction, %d threads, no pacing",
              burst, burstThreads), () -> burstAppends(burst, burstThreads));
        } finally {
          relay.close();
          consuming.set(false);
          receiver.join(10_000);
        }
      }
    }
  }

  private interface Load {
    List<UUID> run() throws Exception;
  }

  private void phase(String title, Load load) throws Exception {
    appendToAckNanos.clear();
    long started = System.nanoTime();
    List<UUID> ids = load.run();
    long appendsDone = System.nanoTime();
    long deadline = appendsDone + TimeUnit.SECONDS.toNanos(60);
    while (!receivedAt.keySet().containsAll(ids)) {
      if (System.nanoTime() > deadline) {
        long missing = ids.stream().filter(id -> !receivedAt.containsKey(id)).count();
        throw new IllegalStateException(title + ": " + missing + " of " + ids.size()
            + " events did not arrive within 60 s; outbox rows by status: " + admin.counts());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    long[] latencies = ids.stream().mapToLong(id -> receivedAt.get(id) - committedAt.get(id)).sorted().toArray();
    long lastReceived = ids.stream().mapToLong(receivedAt::get).max().orElse(started);
    long[] acks = appendToAckNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.println();
    System.out.println(title);
    System.out.printf(Locale.ROOT, "  appended in %.2f s (%.0f commits/s); all received after %.2f s (%.0f events/s)%n",
        seconds(appendsDone - started), ids.size() / seconds(appendsDone - started),
        seconds(lastReceived - started), ids.size() / seconds(lastReceived - started));
    System.out.println("  commit -> consumer receipt: " + percentiles(latencies));
    System.out.println("  append -> broker ack:       " + percentiles(acks));
  }

  /** The floor: what the same producer and broker give without an outbox. Latency from send() to receipt. */
  private List<UUID> directProduce(KafkaProducer<byte[], byte[]> producer, int count, int perSecond)
      throws Exception {
    List<UUID> ids = new ArrayList<>(count);
    long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
    long next = System.nanoTime();
    for (int i = 0; i < count; i++) {
      LockSupport.parkNanos(next - System.nanoTime());
      UUID eventId = UUID.randomUUID();
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(TOPIC, null, ("batch-" + i % keys).getBytes(UTF_8), PAYLOAD);
      record.headers().add(OutboxMessage.EVENT_ID, eventId.toString().getBytes(UTF_8));
      long sent = System.nanoTime();
      committedAt.put(eventId, sent);
      producer.send(record).get();
      appendToAckNanos.add(System.nanoTime() - sent);
      ids.add(eventId);
      next += interval;
    }
    return ids;
  }

  private List<UUID> pacedAppends(int count, int perSecond) {
    List<UUID> ids = new ArrayList<>(count);
    long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
    long next = System.nanoTime();
    for (int i = 0; i < count; i++) {
      LockSupport.parkNanos(next - System.nanoTime());
      ids.add(appendOne());
      next += interval;
    }
    return ids;
  }

  private List<UUID> burstAppends(int count, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<UUID>>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int share = count / threads + (t < count % threads ? 1 : 0);
        parts.add(pool.submit(() -> {
          List<UUID> ids = new ArrayList<>(share);
          for (int i = 0; i < share; i++) {
            ids.add(appendOne());
          }
          return ids;
        }));
      }
      List<UUID> all = new ArrayList<>(count);
      for (Future<List<UUID>> part : parts) {
        all.addAll(part.get());
      }
      return all;
    } finally {
      pool.shutdown();
    }
  }

  private UUID appendOne() {
    int n = sequence.incrementAndGet();
    UUID eventId = UUID.randomUUID();
    OutboxMessage message = OutboxMessage.builder()
        .eventId(eventId)
        .aggregate("cj_batch", "batch-" + (n % keys))
        .eventType("huleedu.cj_assessment.completed.v1")
        .topic(TOPIC)
        .correlationId(eventId.toString())
        .payload(PAYLOAD)
        .sourceService("cj_assessment_service")
        .schemaVersion("1")
        .contentType("application/json")
        .build();
    jdbi.useTransaction(h -> store.append(h, message));
    committedAt.put(eventId, System.nanoTime());
    return eventId;
  }

  private void receive(KafkaConsumer<byte[], byte[]> consumer, AtomicBoolean consuming) {
    while (consuming.get()) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
        long now = System.nanoTime();
        Header header = record.headers().lastHeader(OutboxMessage.EVENT_ID);
        receivedAt.putIfAbsent(UUID.fromString(new String(header.value(), UTF_8)), now);
      }
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        // answer a fetch as soon as one record is there: we measure the outbox, not consumer batching
        ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1,
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10));
    List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
        .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  private static String percentiles(long[] sortedNanos) {
    if (sortedNanos.length == 0) {
      return "no samples";
    }
    return String.format(Locale.ROOT, "n=%d p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms",
        sortedNanos.length, millis(sortedNanos, 0.50), millis(sortedNanos, 0.95), millis(sortedNanos, 0.99),
        sortedNanos[sortedNanos.length - 1] / 1e6);
  }

  private static double millis(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new ConcurrentHashMap<>();
    Arrays.stream(args).map(a -> a.split("=", 2)).forEach(kv -> {
      if (kv.length != 2) {
        throw new IllegalArgumentException("arguments are name=value, e.g. paced=2000; got '" + kv[0] + "'");
      }
      options.put(kv[0], kv[1]);
    });
    return options;
  }
}
