package org.cjassessment.inbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka consumer loop that applies each record at most once per consumer name.
 *
 * <p>For every record, in partition order: one database transaction inserts the processed-event row
 * ({@link Inbox#firstDelivery}) and runs the {@link InboxHandler}; a record whose id is already there is skipped
 * and counted. The offset is committed only after that transaction committed (or the record was dead-lettered), so a
 * crash re-delivers and the processed-event row absorbs the repeat. When the handler throws, the transaction rolls
 * back and the record is tried again after an exponential backoff; its partition is paused meanwhile (the others go
 * on), and after {@code maxAttempts} the record is dead-lettered with the reason, so one bad record delays its
 * partition by a bounded time and never blocks it. A {@link PoisonRecordException} dead-letters at once. Rows older
 * than the retention are purged on the consumer thread, between polls.
 */
public final class InboxConsumer implements Runnable, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(InboxConsumer.class);

  private final String name;
  private final Jdbi jdbi;
  private final Consumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final InboxHandler handler;
  private final DeadLetterTopic deadLetters;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration retention;
  private final Duration purgeEvery;
  private final Duration pollTimeout;
  private final InboxListener listener;
  private final InboxStats stats = new InboxStats();
  private final Clock clock;

  /** Per partition: the offset of the record being retried and how often it failed. Consumer thread only. */
  private final Map<TopicPartition, long[]> failures = new HashMap<>();
  private final Map<TopicPartition, Instant> resumeAt = new HashMap<>();
  private Instant nextPurge;
  private volatile boolean running = true;
  private volatile boolean healthy;
  private volatile Set<TopicPartition> assigned = Set.of();
  private Thread thread;

  private InboxConsumer(Builder b) {
    this.name = b.name;
    this.jdbi = b.jdbi;
    this.consumer = b.consumer;
    this.topics = List.copyOf(b.topics);
    this.handler = b.handler;
    this.deadLetters = b.deadLetters;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.retention = b.retention;
    this.purgeEvery = b.purgeEvery;
    this.pollTimeout = b.pollTimeout;
    this.listener = b.listener;
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Consumer settings the loop relies on: manual commits, {@code earliest} for a new group (a consumer that joins
   * late must still see every event), {@code read_committed}, byte arrays in.
   */
  public static Map<String, Object> consumerProperties(String bootstrapServers, String groupId) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return p;
  }

  public String name() {
    return name;
  }

  public InboxStats stats() {
    return stats;
  }

  /** True once the loop polled successfully and until it stops or a record is waiting for a retry. */
  public boolean healthy() {
    return healthy;
  }

  /** The partitions this instance owns now (updated on every rebalance). */
  public Set<TopicPartition> assignment() {
    return assigned;
  }

  /** Runs the loop on a daemon thread named after the consumer. */
  public synchronized InboxConsumer start() {
    thread = new Thread(this, "inbox-" + name);
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  @Override
  public void run() {
    nextPurge = clock.instant();
    try {
      consumer.subscribe(topics, new Forget());
      while (running) {
        resumeDue();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
        healthy = failures.isEmpty();
        if (!records.isEmpty()) {
          commit(processPoll(records));
        }
        purgeIfDue();
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      healthy = false;
      consumer.close(Duration.ofSeconds(5));
      LOG.info("{}: stopped ({})", name, stats);
    }
  }

  /** Processes each partition's records in order until one must wait for a retry. Returns the offsets to commit. */
  private Map<TopicPartition, OffsetAndMetadata> processPoll(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> r : records.records(partition)) {
        Duration wait = process(partition, r);
        if (wait != null) {
          consumer.seek(partition, r.offset()); // fetch it again after the backoff
          consumer.pause(Set.of(partition));
          resumeAt.put(partition, clock.instant().plus(wait));
          healthy = false;
          break;
        }
        done.put(partition, new OffsetAndMetadata(r.offset() + 1));
      }
    }
    return done;
  }

  /** Null when the record is finished with (applied, duplicate or dead-lettered), else how long to wait. */
  private Duration process(TopicPartition partition, ConsumerRecord<byte[], byte[]> raw) {
    InboxRecord record;
    try {
      record = RecordReader.read(raw);
    } catch (PoisonRecordException e) {
      return deadLetter(partition, raw, e.getMessage(), 1);
    }
    try {
      boolean applied = jdbi.inTransaction(h -> {
        if (!Inbox.firstDelivery(h, name, record.eventId())) {
          return false;
        }
        handler.handle(h, record);
        return true;
      });
      failures.remove(partition);
      if (applied) {
        stats.applied(record);
        listener.applied(record);
      } else {
        stats.duplicate(record);
        listener.duplicate(record);
        LOG.debug("{}: duplicate event {} at {} skipped", name, record.eventId(), record.position());
      }
      return null;
    } catch (PoisonRecordException e) {
      return deadLetter(partition, raw, e.getMessage(), attempts(partition, raw) + 1);
    } catch (Exception e) {
      int attempt = attempts(partition, raw) + 1;
      failures.put(partition, new long[] {raw.offset(), attempt});
      if (attempt >= maxAttempts) {
        return deadLetter(partition, raw, "failed " + attempt + " times, last: " + describe(e), attempt);
      }
      stats.retrying(record, attempt, e);
      listener.retrying(record, attempt, e);
      Duration wait = backoff(attempt);
      LOG.warn("{}: event {} at {} failed (attempt {} of {}), retrying in {} ms: {}", name, record.eventId(),
          record.position(), attempt, maxAttempts, wait.toMillis(), describe(e));
      return wait;
    }
  }

  private Duration deadLetter(TopicPartition partition, ConsumerRecord<byte[], byte[]> raw, String reason,
      int attempts) {
    try {
      deadLetters.send(raw, name, reason, attempts);
    } catch (RuntimeException e) {
      LOG.error("{}: {}; the record stays unprocessed and is tried again", name, e.getMessage());
      return maxBackoff;
    }
    failures.remove(partition);
    stats.deadLettered(raw.topic(), reason);
    listener.deadLettered(raw.topic(), reason);
    return null;
  }

  private int attempts(TopicPartition partition, ConsumerRecord<byte[], byte[]> raw) {
    long[] f = failures.get(partition);
    return f != null && f[0] == raw.offset() ? (int) f[1] : 0;
  }

  /** initial · 2^(attempt−1), capped, plus up to 20 % jitter so that instances do not retry in step. */
  Duration backoff(int attempt) {
    long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, maxBackoff.toMillis());
    return Duration.ofMillis(capped + ThreadLocalRandom.current().nextLong(capped / 5 + 1));
  }

  /** Exception class and first line of the message: enough to triage, bounded, and no stack trace in a header. */
  static String describe(Throwable e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
    return DeadLetterTopic.oneLine(e.getClass().getSimpleName() + message);
  }

  private void resumeDue() {
    if (resumeAt.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    var due = resumeAt.entrySet().stream().filter(e -> !e.getValue().isAfter(now)).map(Map.Entry::getKey).toList();
    if (!due.isEmpty()) {
      consumer.resume(due);
      due.forEach(resumeAt::remove);
    }
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (CommitFailedException e) {
      // The group rebalanced under us: the new owner re-reads these records and the inbox rows absorb them.
      LOG.info("{}: offset commit lost to a rebalance; the records are applied and will be skipped as duplicates",
          name);
    }
  }

  private void purgeIfDue() {
    if (retention == null || clock.instant().isBefore(nextPurge)) {
      return;
    }
    nextPurge = clock.instant().plus(purgeEvery);
    try {
      int rows = jdbi.withHandle(h -> Inbox.purgeOlderThan(h, name, retention, clock.instant()));
      stats.purged(rows);
      listener.purged(rows);
      if (rows > 0) {
        LOG.info("{}: purged {} processed-event rows older than {}", name, rows, retention);
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: retention purge failed, next try in {}: {}", name, purgeEvery, describe(e));
    }
  }

  /** Stops polling and waits (up to 30 s) until the record in progress is finished and the consumer closed. */
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
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Retry state belongs to the partitions this instance owns; a revoked partition's next owner starts afresh. */
  private final class Forget implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(p -> {
        failures.remove(p);
        resumeAt.remove(p);
      });
      assigned = Set.copyOf(consumer.assignment().stream().filter(p -> !partitions.contains(p)).toList());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned = Set.copyOf(consumer.assignment());
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }
  }

  /** Collects the settings, reports every missing or out-of-range one at once in {@link #build()}. */
  public static final class Builder {
    private String name;
    private Jdbi jdbi;
    private Consumer<byte[], byte[]> consumer;
    private Collection<String> topics = List.of();
    private InboxHandler handler;
    private DeadLetterTopic deadLetters;
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Duration retention = Duration.ofDays(7);
    private Duration purgeEvery = Duration.ofHours(1);
    private Duration pollTimeout = Duration.ofMillis(200);
    private InboxListener listener = new InboxListener() {};
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The consumer's name: the key of its processed-event rows (two consumers of one event each apply it). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder jdbi(Jdbi jdbi) {
      this.jdbi = jdbi;
      return this;
    }

    /** A consumer built from {@link #consumerProperties} (or equivalent); the loop owns and closes it. */
    public Builder consumer(Consumer<byte[], byte[]> consumer) {
      this.consumer = consumer;
      return this;
    }

    public Builder topics(Collection<String> topics) {
      this.topics = topics;
      return this;
    }

    public Builder handler(InboxHandler handler) {
      this.handler = handler;
      return this;
    }

    public Builder deadLetters(org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer, String topic) {
      this.deadLetters = new DeadLetterTopic(producer, topic);
      return this;
    }

    /** Tries of one record before it is dead-lettered (default 5). */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Wait before the second try, doubling up to {@code max} (default 200 ms up to 10 s). */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * How long processed-event rows are kept (default 7 days; null keeps them forever). Longer than the topics'
     * retention, or a re-delivery could arrive after its row is gone.
     */
    public Builder retention(Duration retention) {
      this.retention = retention;
      return this;
    }

    public Builder purgeEvery(Duration purgeEvery) {
      this.purgeEvery = purgeEvery;
      return this;
    }

    public Builder pollTimeout(Duration pollTimeout) {
      this.pollTimeout = pollTimeout;
      return this;
    }

    public Builder listener(InboxListener listener) {
      this.listener = listener;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public InboxConsumer build() {
      StringBuilder problems = new StringBuilder();
      require(problems, name != null && !name.isBlank(), "name is required (the key of its processed-event rows)");
      require(problems, jdbi != null, "jdbi is required");
      require(problems, consumer != null, "consumer is required (see InboxConsumer.consumerProperties)");
      require(problems, topics != null && !topics.isEmpty(), "topics: at least one topic is required");
      require(problems, handler != null, "handler is required");
      require(problems, deadLetters != null, "deadLetters(producer, topic) is required");
      require(problems, maxAttempts >= 1 && maxAttempts <= 100, "maxAttempts=" + maxAttempts + " is outside 1..100");
      require(problems, initialBackoff != null && maxBackoff != null && !initialBackoff.isNegative()
          && maxBackoff.compareTo(initialBackoff) >= 0, "backoff: need 0 <= initial <= max");
      require(problems, retention == null || retention.compareTo(Duration.ofMinutes(1)) >= 0,
          "retention=" + retention + " is under one minute (use null to keep rows forever)");
      require(problems, purgeEvery != null && !purgeEvery.isZero() && !purgeEvery.isNegative(),
          "purgeEvery must be positive");
      require(problems, pollTimeout != null && !pollTimeout.isZero() && !pollTimeout.isNegative(),
          "pollTimeout must be positive");
      require(problems, listener != null && clock != null, "listener and clock must not be null");
      if (problems.length() > 0) {
        throw new IllegalArgumentException("InboxConsumer " + name + ":" + problems);
      }
      return new InboxConsumer(this);
    }

    /** Builds and starts the loop on its own thread. */
    public InboxConsumer start() {
      return build().start();
    }

    private static void require(StringBuilder problems, boolean ok, String problem) {
      if (!ok) {
        problems.append(' ').append(problem).append(';');
      }
    }
  }
}
