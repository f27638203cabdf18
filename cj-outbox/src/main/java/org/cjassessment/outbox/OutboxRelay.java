package org.cjassessment.outbox;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed outbox rows to Kafka, at least once, in id order per topic and key.
 *
 * <h2>One round</h2>
 * In one database transaction: claim due PENDING rows, send them, wait for each row's acknowledgement, mark them
 * PUBLISHED or failed (with a backoff, or DEAD), commit: see {@link PublishRound}. A crash anywhere before the commit
 * leaves the rows PENDING; a marker committed before the send makes the next round look for them on the broker
 * before sending them again ({@link Builder#deliveryCheck}): losses are impossible, duplicates rare (see PublishRound).
 * This class runs rounds on a thread of its own, wakes up for new rows, runs retention between rounds, and starts and
 * stops; {@link RelayReport} reports.
 *
 * <h2>Why SKIP LOCKED and not a single advisory-lock leader</h2>
 * Every service instance runs a relay and they share the work through row locks. The row lock is taken and released
 * by the same transaction that marks the row, so "who may publish this row" and "the row is published" can never
 * disagree: no lease to expire, no leader to elect, no fail-over gap while a standby notices a dead leader, and no
 * window in which a leader whose lock connection silently died keeps publishing next to its successor. Per-key order
 * does not need a single publisher: a row is claimable only when no older row of its key is still PENDING, and that
 * older row stops being PENDING only when its publishing transaction commits after the broker's ack. The price is a
 * transaction held open while a round waits for acknowledgements (milliseconds normally; at most
 * {@code ackTimeout} when the broker is failing), which holds only the claimed rows' locks: appends, retention and
 * the operator API never wait for it.
 *
 * <h2>Wake-up</h2>
 * A dedicated connection LISTENs on {@link OutboxSchema#CHANNEL} (appends NOTIFY on commit); {@link #wake()} is the
 * in-process shortcut. Between wake-ups the relay sleeps until the earliest retry is due, at most
 * {@code pollInterval} (the fallback if a NOTIFY is ever missed).
 *
 * <p>The relay holds three connections from the DataSource (publishing, send markers and LISTEN) for its lifetime. It does not close
 * the producer it was given; give it a producer of its own (it calls {@code flush()} every round).
 */
public final class OutboxRelay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private static final int MAX_ERROR_LENGTH = 500;

  private final String name;
  private final DataSource dataSource;
  private final int batchSize;
  private final int maxAttempts;
  private final Backoff backoff;
  private final Duration pollInterval;
  private final Duration ackTimeout;
  private final Duration retention;
  private final Duration retentionInterval;
  private final boolean listen;
  private final boolean deliveryCheck;
  private final ThreadFactory threadFactory;
  private final Jdbi jdbi;
  private final WakeSignal signal = new WakeSignal();
  private final RelayLoop loop;

  private volatile boolean running;
  private Thread publisherThread;
  private Thread listenerThread;
  private NotificationListener listener;

  private OutboxRelay(Builder b) {
    this.name = b.name;
    this.dataSource = b.dataSource;
    this.batchSize = b.batchSize;
    this.maxAttempts = b.maxAttempts;
    this.backoff = new Backoff(b.backoffBase, b.backoffMax, b.jitter);
    this.pollInterval = b.pollInterval;
    this.ackTimeout = b.ackTimeout;
    this.retention = b.retention;
    this.retentionInterval = b.retentionInterval;
    this.listen = b.listen;
    this.deliveryCheck = b.checkConsumer != null;
    this.threadFactory = b.threadFactory;
    this.jdbi = Jdbi.create(dataSource);
    jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
    DeliveryCheck check = b.checkConsumer == null ? DeliveryCheck.NONE
        : new KafkaDeliveryCheck(name, b.checkConsumer, b.producer);
    this.loop = new RelayLoop(name, jdbi,
        new PublishRound(name, b.producer, b.clock, batchSize, maxAttempts, backoff, ackTimeout, check,
            new SendLog(jdbi), b.inFlightGrace),
        new RelayReport(name, maxAttempts, b.metrics, b.clock), signal, b.clock, pollInterval, retention,
        retentionInterval, b.retentionBatchSize);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The largest uncompressed record the relay's producer sends (the compressed one must fit the broker's limit). */
  public static final int MAX_REQUEST_BYTES = 32 * 1024 * 1024;

  /**
   * Producer settings the relay is designed for: idempotent, {@code acks=all}, byte arrays, zstd, and timeouts short
   * enough that a dead broker surfaces as a failed attempt in seconds (then the relay's backoff takes over, rather
   * than the producer retrying for its default two minutes). Returned mutable so callers can add or override
   * (client.id, security, ...). Keep the default partitioner: the delivery check computes partitions with it.
   */
  public static Map<String, Object> producerProperties(String bootstrapServers) {
    return RelayClientSettings.producer(bootstrapServers);
  }

  /**
   * Consumer settings for {@link Builder#deliveryCheck}: byte arrays, no group, no commits, short timeouts. Returned
   * mutable (client.id, security, ...); the consumer needs READ on the relay's topics.
   */
  public static Map<String, Object> deliveryCheckProperties(String bootstrapServers) {
    return RelayClientSettings.deliveryCheckConsumer(bootstrapServers);
  }

  /**
   * Checks that the outbox table exists, then starts the publisher thread and (unless disabled) the LISTEN thread.
   *
   * @throws OutboxException if the table is missing or the database is unreachable (nothing is started then)
   */
  public synchronized OutboxRelay start() {
    if (publisherThread != null) {
      throw new IllegalStateException(name + " was already started; build a new relay instead of restarting one");
    }
    try (Handle h = jdbi.open()) {
      RelayQueries.checkTable(h);
    } catch (RuntimeException e) {
      throw new OutboxException(startFailure(e), e);
    }
    running = true;
    publisherThread = thread(name + "-publisher", loop);
    if (listen) {
      listener = new NotificationListener(dataSource, signal, pollInterval, name);
      listenerThread = thread(name + "-listener", listener);
      listenerThread.start();
    }
    publisherThread.start();
    log.info(
        "{} started: batchSize={}, maxAttempts={}, backoff={}..{} (jitter {}), pollInterval={}, ackTimeout={},"
            + " retention={} (checked every {}), listen={}, deliveryCheck={}",
        name, batchSize, maxAttempts, backoff.base(), backoff.max(), backoff.jitter(), pollInterval, ackTimeout,
        retention, retentionInterval, listen, deliveryCheck ? "on" : "off (possibly sent rows are sent again)");
    return this;
  }

  /** Asks the relay to look for work now (e.g. right after a commit in this process). Cheap; never blocks. */
  public void wake() {
    signal.wake();
  }

  public boolean isRunning() {
    return running && publisherThread != null && publisherThread.isAlive();
  }

  /**
   * Stops after the current round: rows acknowledged in it are marked, nothing new is claimed. Waits at most
   * {@code ackTimeout} plus a few seconds, then interrupts (an interrupted round rolls back; its rows stay PENDING).
   */
  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    loop.stop();
    if (listener != null) {
      listener.stop();
    }
    join(publisherThread, ackTimeout.plusSeconds(5));
    join(listenerThread, Duration.ofSeconds(5));
    log.info("{} stopped", name);
  }

  private Thread thread(String threadName, Runnable body) {
    Thread t = threadFactory.newThread(body);
    t.setName(threadName);
    return t;
  }

  private static void join(Thread thread, Duration timeout) {
    if (thread == null) {
      return;
    }
    try {
      thread.join(timeout.toMillis());
      if (thread.isAlive()) {
        log.warn("{} did not stop within {}; interrupting it (its round rolls back)", thread.getName(), timeout);
        thread.interrupt();
        thread.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String startFailure(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "42P01".equals(sql.getSQLState())) {
        return name + " cannot start: table '" + OutboxSchema.TABLE + "' does not exist in the relay's database;"
            + " call OutboxSchema.migrate(dataSource) before starting the relay";
      }
    }
    return name + " cannot start: the database is not usable (" + oneLine(e) + "); check the DataSource settings";
  }

  /** One line, bounded, no payload: Kafka and PostgreSQL messages name sizes, topics and states, not record bytes. */
  static String oneLine(Throwable error) {
    Throwable t = error;
    while ((t instanceof ExecutionException || t instanceof org.apache.kafka.common.KafkaException
        && t.getClass() == org.apache.kafka.common.KafkaException.class) && t.getCause() != null) {
      t = t.getCause();
    }
    String text = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    text = text.replaceAll("\\s+", " ").trim();
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
  }

  // ---- configuration ----

  /** Fills defaults and validates the whole configuration at {@link #build()}, before anything starts. */
  public static final class Builder {
    private String name = "cj-outbox-relay";
    private DataSource dataSource;
    private Producer<byte[], byte[]> producer;
    private Consumer<byte[], byte[]> checkConsumer;
    private Duration inFlightGrace = Duration.ofSeconds(5);
    private int batchSize = 100;
    private int maxAttempts = 12;
    private Duration backoffBase = Backoff.DEFAULT.base();
    private Duration backoffMax = Backoff.DEFAULT.max();
    private double jitter = Backoff.DEFAULT.jitter();
    private Duration pollInterval = Duration.ofSeconds(5);
    private Duration ackTimeout = Duration.ofSeconds(30);
    private Duration retention = Duration.ofDays(7);
    private Duration retentionInterval = Duration.ofMinutes(10);
    private int retentionBatchSize = 1_000;
    private boolean listen = true;
    private Clock clock = Clock.systemUTC();
    private RelayMetrics metrics = RelayMetrics.NONE;
    private ThreadFactory threadFactory =
        body -> {
          Thread t = new Thread(body);
          t.setDaemon(true); // an un-closed relay must not keep the JVM alive; an interrupted round just rolls back
          return t;
        };

    private Builder() {}

    /** Prefix of thread names and log lines. Default {@code cj-outbox-relay}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Required. The relay takes three connections from it for its lifetime. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = dataSource;
      return this;
    }

    /** Required; see {@link #producerProperties(String)}. Not closed by the relay. */
    public Builder producer(Producer<byte[], byte[]> producer) {
      this.producer = producer;
      return this;
    }

    /**
     * Recommended: a consumer of the relay's own ({@link #deliveryCheckProperties}), not closed by the relay, to look
     * on the broker for a row that may have been sent before instead of sending it again (docs/OUTBOX.md).
     */
    public Builder deliveryCheck(Consumer<byte[], byte[]> consumer) {
      this.checkConsumer = consumer;
      return this;
    }

    /**
     * How long after a send whose relay died the row is left alone, so that a request still on its way to the broker
     * lands before the relay looks for it. Default 5 s (the producer's {@code request.timeout.ms}).
     */
    public Builder inFlightGrace(Duration inFlightGrace) {
      this.inFlightGrace = inFlightGrace;
      return this;
    }

    /** Rows claimed per round (one transaction). Default 100. */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Failed attempts after which a row is DEAD. Default 12 (about 18 minutes of failures with default backoff). */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Delay after the first failure, doubling per failure up to {@code max}. Default 1 s and 5 min. */
    public Builder backoff(Duration base, Duration max) {
      this.backoffBase = base;
      this.backoffMax = max;
      return this;
    }

    /** Random spread of each delay, as a fraction: 0.5 means 0.5–1.5 times. Default 0.5. */
    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    /** Longest sleep between looks at the table when no NOTIFY or wake arrives. Default 5 s. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * How long a round waits for acknowledgements before counting the rest as failed. Keep it above the producer's
     * {@code delivery.timeout.ms} (10 s with {@link #producerProperties}). Default 30 s.
     */
    public Builder ackTimeout(Duration ackTimeout) {
      this.ackTimeout = ackTimeout;
      return this;
    }

    /** Age after which PUBLISHED rows are deleted. Default 7 days. */
    public Builder retention(Duration retention) {
      this.retention = retention;
      return this;
    }

    /** How often the relay runs retention. Default 10 min. */
    public Builder retentionInterval(Duration retentionInterval) {
      this.retentionInterval = retentionInterval;
      return this;
    }

    /** Rows per retention DELETE statement. Default 1000. */
    public Builder retentionBatchSize(int retentionBatchSize) {
      this.retentionBatchSize = retentionBatchSize;
      return this;
    }

    /** Whether to LISTEN for NOTIFYs from appends (on by default; off means polling plus {@link #wake()}). */
    public Builder listen(boolean listen) {
      this.listen = listen;
      return this;
    }

    /** Source of published_at, next_attempt_at and retention cut-offs. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder metrics(RelayMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /** Creates the publisher and listener threads (the relay names them). Default: daemon threads. */
    public Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = threadFactory;
      return this;
    }

    /**
     * Validates every setting and returns a relay that is not running yet.
     *
     * @throws IllegalArgumentException listing every invalid setting with its value, its limit and the fix
     */
    public OutboxRelay build() {
      List<String> problems = new ArrayList<>();
      if (name == null || name.isBlank()) {
        problems.add("name is blank: give the relay a name for its threads and log lines");
      }
      if (dataSource == null) {
        problems.add("dataSource is not set: pass the service's pooled DataSource (the relay holds 3 connections)");
      }
      if (producer == null) {
        problems.add("producer is not set: pass new KafkaProducer<>(OutboxRelay.producerProperties(bootstrap))");
      }
      range(problems, "batchSize", batchSize, 1, 10_000, "100 suits most services");
      range(problems, "maxAttempts", maxAttempts, 1, 1_000, "12 gives about 18 minutes with the default backoff");
      range(problems, "retentionBatchSize", retentionBatchSize, 1, 100_000, "use 1000");
      if (backoffBase == null || backoffMax == null) {
        problems.add("backoff base and max must both be set (defaults PT1S and PT5M)");
      } else {
        try {
          new Backoff(backoffBase, backoffMax, jitter);
        } catch (IllegalArgumentException e) {
          problems.add(e.getMessage());
        }
      }
      duration(problems, "pollInterval", pollInterval, Duration.ofMillis(10), Duration.ofHours(1), "use PT5S");
      duration(problems, "ackTimeout", ackTimeout, Duration.ofMillis(100), Duration.ofMinutes(10),
          "keep it above the producer's delivery.timeout.ms; use PT30S");
      duration(problems, "inFlightGrace", inFlightGrace, Duration.ZERO, Duration.ofMinutes(10), "use PT5S");
      duration(problems, "retention", retention, Duration.ofSeconds(1), Duration.ofDays(3650), "use P7D");
      duration(problems, "retentionInterval", retentionInterval, Duration.ofMillis(100), Duration.ofDays(1),
          "use PT10M");
      if (clock == null) {
        problems.add("clock is null: use Clock.systemUTC()");
      }
      if (metrics == null) {
        problems.add("metrics is null: use RelayMetrics.NONE to record nothing");
      }
      if (threadFactory == null) {
        problems.add("threadFactory is null: leave it unset for daemon threads");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "Invalid OutboxRelay configuration:\n  - " + String.join("\n  - ", problems));
      }
      return new OutboxRelay(this);
    }

    /** {@code build().start()}. */
    public OutboxRelay start() {
      return build().start();
    }

    private static void range(List<String> problems, String setting, int value, int min, int max, String advice) {
      if (value < min || value > max) {
        problems.add(setting + " = " + value + " is outside [" + min + ", " + max + "]: " + advice);
      }
    }

    private static void duration(
        List<String> problems, String setting, Duration value, Duration min, Duration max, String advice) {
      if (value == null) {
        problems.add(setting + " is not set: " + advice);
      } else if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        problems.add(setting + " = " + value + " is outside [" + min + ", " + max + "]: " + advice);
      }
    }
  }
}
