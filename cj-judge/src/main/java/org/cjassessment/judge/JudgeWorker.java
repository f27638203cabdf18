package org.cjassessment.judge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.cjassessment.judge.wire.ComparisonCallback;
import org.cjassessment.judge.wire.ComparisonRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes comparison requests, asks a {@link Judge}, publishes exactly one {@code LLMComparisonResultV1} per request
 * on the request's {@code callback_topic}, and commits a request's offset only after the broker acknowledged its
 * callback.
 *
 * <p>Memory is bounded: at most {@code maxInFlight} records are held (polled, not yet answered); when the bound is
 * near, the consumer's partitions are paused (it keeps polling, so it stays in the group) and resumed as answers go
 * out. At most {@code concurrency} judge calls run at once. A crash re-judges the records held at that moment — at
 * most {@code maxInFlight}: the calls running plus one poll ({@code max.poll.records} = maxInFlight − concurrency)
 * — and the service deduplicates their callbacks by correlation id.
 *
 * <pre>{@code
 * try (JudgeWorker worker = JudgeWorker.builder().bootstrapServers(kafka).requestTopic(topic)
 *     .groupId("cj_judge").judge(judge).concurrency(16).build().start()) { ... }
 * }</pre>
 * The worker does not close the judge it was given.
 */
public final class JudgeWorker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JudgeWorker.class);

  private final Builder config;
  private final Consumer<byte[], byte[]> consumer;
  private final CallbackPublisher publisher;
  private final Judge judge;
  private final CallSlots slots;
  private final ExecutorService starter;
  private final OffsetTracker offsets = new OffsetTracker();
  private final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> answered = new ConcurrentLinkedQueue<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong judged = new AtomicLong();
  private final AtomicLong errored = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private int inFlight; // poll thread only
  private volatile int inFlightSeen;
  private volatile boolean running = true;
  private volatile boolean assigned;
  private Thread thread;

  private JudgeWorker(Builder b) {
    this.config = b;
    this.judge = b.judge;
    this.consumer = b.consumer != null ? b.consumer
        : new KafkaConsumer<>(WorkerClients.consumer(b.bootstrapServers, b.groupId, pollSize(b), b.consumerOverrides));
    Producer<byte[], byte[]> producer = b.producer != null ? b.producer
        : new KafkaProducer<>(WorkerClients.producer(b.bootstrapServers, b.producerOverrides));
    this.publisher = new CallbackPublisher(producer, () -> running);
    this.starter = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "judge-call");
      t.setDaemon(true);
      return t;
    });
    this.slots = new CallSlots(b.concurrency, starter);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the poll thread; returns this. */
  public synchronized JudgeWorker start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    thread = new Thread(this::run, "judge-worker-" + config.requestTopic);
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  public JudgeStats stats() {
    return new JudgeStats(received.get(), judged.get(), errored.get(), rejected.get(), inFlightSeen,
        maxInFlight.get(), slots.maxRunning());
  }

  /** True once the consumer has joined the group and owns partitions (or an empty assignment was confirmed). */
  public boolean ready() {
    return assigned;
  }

  public Judge judge() {
    return judge;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(config.requestTopic), new Rebalance());
      int pollSize = pollSize(config);
      while (running) {
        settleAnswered();
        commit();
        // a poll returns at most pollSize records: poll only while they fit under the bound
        if (inFlight + pollSize > config.maxInFlight) {
          consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
          consumer.resume(consumer.paused());
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(inFlight > 0 ? 10 : 100))) {
          accept(record);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        LOG.error("judge worker woken up while running; stopping", e);
      }
    } catch (RuntimeException e) {
      LOG.error("judge worker stopped by an unexpected error; uncommitted requests will be judged again", e);
    } finally {
      drainOnStop();
    }
  }

  private void accept(ConsumerRecord<byte[], byte[]> record) {
    received.incrementAndGet();
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    offsets.started(partition, record.offset());
    inFlight++;
    inFlightSeen = inFlight;
    maxInFlight.accumulateAndGet(inFlight, Math::max);
    ComparisonRequest request;
    try {
      request = ComparisonRequest.parse(record.value());
    } catch (ComparisonRequest.Malformed e) {
      answerMalformed(record, e.getMessage());
      return;
    }
    Instant requestedAt = config.clock.instant();
    slots.submit(() -> {
      java.util.concurrent.CompletionStage<JudgeOutcome> stage;
      try {
        stage = judge.judge(request.pair());
      } catch (RuntimeException e) {
        stage = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
      stage.whenComplete((outcome, error) -> {
        slots.release();
        JudgeOutcome result = outcome != null ? outcome : bug(request, error, requestedAt);
        publish(record, request, result, requestedAt);
      });
    });
  }

  private JudgeOutcome bug(ComparisonRequest request, Throwable error, Instant requestedAt) {
    LOG.error("judge {} failed on comparison {} (a bug: a judge should answer a Failure)", judge.provider(),
        request.pair().correlationId(), error);
    return new JudgeOutcome.Failure(FailureCode.UNKNOWN_ERROR, "the judge failed unexpectedly: "
        + error.getClass().getSimpleName(), request.pair().model().orElse("unknown"), TokenUsage.NONE,
        Duration.between(requestedAt, config.clock.instant()).toMillis(), null);
  }

  private void publish(ConsumerRecord<byte[], byte[]> record, ComparisonRequest request, JudgeOutcome outcome,
      Instant requestedAt) {
    ComparisonCallback.Message message = ComparisonCallback.build(request, outcome, judge.provider(),
        config.sourceService, config.prices.cost(outcome.usage()), requestedAt, config.clock.instant());
    if (outcome instanceof JudgeOutcome.Failure f) {
      LOG.warn("comparison {}: no verdict, {}: {}", request.pair().correlationId(), f.code(), f.detail());
    }
    publisher.send(message, () -> {
      (outcome instanceof JudgeOutcome.Verdict ? judged : errored).incrementAndGet();
      answered.add(record);
    });
  }

  /** A request we cannot judge: an error callback when we know where to send it, else a log line and a skip. */
  private void answerMalformed(ConsumerRecord<byte[], byte[]> record, String reason) {
    LOG.warn("comparison request at {}-{}@{} is unusable: {}", record.topic(), record.partition(), record.offset(),
        reason);
    var ids = ComparisonRequest.correlationAndTopic(record.value());
    if (ids.isEmpty()) {
      rejected.incrementAndGet();
      answered.add(record);
      return;
    }
    ComparisonRequest stub = new ComparisonRequest(ids.get()[0], ids.get()[1],
        PairToJudge.of(ids.get()[0], "", "", "", ""), org.cjassessment.judge.wire.WireJson.MAPPER.createObjectNode());
    JudgeOutcome failure = new JudgeOutcome.Failure(FailureCode.INVALID_REQUEST, "unusable comparison request: "
        + reason, "none", TokenUsage.NONE, 0, null);
    publish(record, stub, failure, config.clock.instant());
  }

  private void settleAnswered() {
    ConsumerRecord<byte[], byte[]> r;
    while ((r = answered.poll()) != null) {
      offsets.done(new TopicPartition(r.topic(), r.partition()), r.offset());
      inFlight--;
    }
    inFlightSeen = inFlight;
  }

  private void commit() {
    Map<TopicPartition, OffsetAndMetadata> next = offsets.toCommit();
    if (next.isEmpty()) {
      return;
    }
    try {
      try {
        consumer.commitSync(next);
      } catch (WakeupException e) {
        if (running) {
          throw e;
        }
        consumer.commitSync(next); // close() woke a commit: the wake-up is spent, commit what is answered
      }
      offsets.committed(next);
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      // e.g. a rebalance took the partition: the new owner re-judges from the last committed offset
      LOG.warn("could not commit judge offsets {}: {}", next, e.toString());
    }
  }

  /** Waits (bounded) for the records held to be answered, commits them, and closes the consumer. */
  private void drainOnStop() {
    long deadline = System.nanoTime() + config.shutdownGrace.toNanos();
    try {
      while (inFlight > 0 && System.nanoTime() < deadline) {
        settleAnswered();
        publisher.awaitSomething(Duration.ofMillis(20));
      }
      settleAnswered();
      commit();
    } catch (RuntimeException e) {
      LOG.warn("judge worker: final commit failed; up to {} requests will be judged again", inFlight, e);
    } finally {
      if (inFlight > 0) {
        LOG.warn("judge worker stopped with {} requests unanswered; they will be judged again", inFlight);
      }
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Stops polling, waits up to the shutdown grace for the calls in progress, commits, and closes the clients. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(config.shutdownGrace.toMillis() + 10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (t == null) {
      consumer.close(Duration.ofSeconds(5));
    }
    publisher.close();
    starter.shutdownNow();
  }

  /** On losing partitions: answer what is held for them first (bounded), so the next owner does not re-judge. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      long deadline = System.nanoTime() + config.shutdownGrace.toNanos();
      while (running && partitions.stream().anyMatch(p -> offsets.pending(p) > 0) && System.nanoTime() < deadline) {
        settleAnswered();
        publisher.awaitSomething(Duration.ofMillis(20));
      }
      settleAnswered();
      commit();
      partitions.forEach(offsets::forget);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned = true;
    }
  }

  /** Records per poll: what fits beside the running calls under the in-flight bound. */
  private static int pollSize(Builder b) {
    return b.maxInFlight - b.concurrency;
  }

  /** Fills defaults and checks every setting at {@link #build()}, reporting all mistakes at once. */
  public static final class Builder {
    private String bootstrapServers;
    private String requestTopic;
    private String groupId = "cj_judge_worker";
    private Judge judge;
    private int concurrency = 8;
    private int maxInFlight = -1;
    private String sourceService = "cj_judge";
    private Prices prices = Prices.FREE;
    private Clock clock = Clock.systemUTC();
    private Duration shutdownGrace = Duration.ofSeconds(30);
    private Map<String, Object> consumerOverrides = Map.of();
    private Map<String, Object> producerOverrides = Map.of();
    private Consumer<byte[], byte[]> consumer;
    private Producer<byte[], byte[]> producer;

    private Builder() {}

    public Builder bootstrapServers(String value) {
      this.bootstrapServers = value;
      return this;
    }

    /** The comparison-request topic ({@code CJ_TOPIC_COMPARISON_REQUESTS}). */
    public Builder requestTopic(String value) {
      this.requestTopic = value;
      return this;
    }

    /** The worker's own consumer group (default {@code cj_judge_worker}). */
    public Builder groupId(String value) {
      this.groupId = value;
      return this;
    }

    public Builder judge(Judge value) {
      this.judge = value;
      return this;
    }

    /** Judge calls running at once (default 8). */
    public Builder concurrency(int value) {
      this.concurrency = value;
      return this;
    }

    /** Records held in memory at most (default 2 × concurrency; at least concurrency + 1). */
    public Builder maxInFlight(int value) {
      this.maxInFlight = value;
      return this;
    }

    public Builder sourceService(String value) {
      this.sourceService = value;
      return this;
    }

    public Builder prices(Prices value) {
      this.prices = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /** How long {@code close()} waits for calls in progress before giving them up (default 30 s). */
    public Builder shutdownGrace(Duration value) {
      this.shutdownGrace = value;
      return this;
    }

    /** Extra consumer properties (e.g. security settings). */
    public Builder consumerProperties(Map<String, Object> value) {
      this.consumerOverrides = Map.copyOf(value);
      return this;
    }

    public Builder producerProperties(Map<String, Object> value) {
      this.producerOverrides = Map.copyOf(value);
      return this;
    }

    /** A consumer to use instead of building one (fault injection); it must not auto-commit. */
    public Builder consumer(Consumer<byte[], byte[]> value) {
      this.consumer = value;
      return this;
    }

    /** A producer to use instead of building one (fault injection). */
    public Builder producer(Producer<byte[], byte[]> value) {
      this.producer = value;
      return this;
    }

    public JudgeWorker build() {
      if (maxInFlight < 0) {
        maxInFlight = 2 * concurrency;
      }
      List<String> problems = new ArrayList<>();
      if (judge == null) {
        problems.add("judge is not set");
      }
      if (requestTopic == null || requestTopic.isBlank()) {
        problems.add("requestTopic is not set");
      }
      if ((consumer == null || producer == null) && (bootstrapServers == null || bootstrapServers.isBlank())) {
        problems.add("bootstrapServers is not set");
      }
      if (groupId == null || groupId.isBlank()) {
        problems.add("groupId is empty");
      }
      if (concurrency < 1 || concurrency > 10_000) {
        problems.add("concurrency " + concurrency + " is outside 1..10000");
      }
      if (maxInFlight <= concurrency) {
        problems.add("maxInFlight " + maxInFlight + " must exceed concurrency " + concurrency
            + " (it is the concurrency plus the records of one poll)");
      }
      Objects.requireNonNull(prices, "prices");
      Objects.requireNonNull(clock, "clock");
      if (shutdownGrace == null || shutdownGrace.isNegative()) {
        problems.add("shutdownGrace must be >= 0");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("judge worker: " + String.join("; ", problems));
      }
      return new JudgeWorker(this);
    }
  }
}
