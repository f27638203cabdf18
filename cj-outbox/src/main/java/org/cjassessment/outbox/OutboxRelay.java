package org.cjassessment.outbox;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed outbox rows to Kafka, at least once, in id order per topic and key.
 *
 * <h2>One round</h2>
 * In one database transaction: claim up to {@code batchSize} due PENDING rows ({@code FOR UPDATE SKIP LOCKED}, at
 * most one per topic and key, see {@link RelayQueries}); send them all (so the producer batches them); wait for each
 * row's own acknowledgement; mark acknowledged rows PUBLISHED and failed rows with attempts+1 and a backoff (or
 * DEAD); commit. A crash anywhere before the commit leaves the rows PENDING, so they are sent again with the same
 * event id: duplicates are possible, losses are not, and consumers deduplicate by {@code event_id}.
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
 * <p>The relay holds two connections from the DataSource (publishing and LISTEN) for its lifetime. It does not close
 * the producer it was given; give it a producer of its own (it calls {@code flush()} every round).
 */
public final class OutboxRelay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private static final Duration BACKLOG_REPORT_INTERVAL = Duration.ofSeconds(1);
  private static final Duration RETENTION_TIME_BUDGET = Duration.ofMillis(200);
  private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);
  private static final int MAX_ERROR_LENGTH = 500;

  private final String name;
  private final DataSource dataSource;
  private final Producer<byte[], byte[]> producer;
  private final int batchSize;
  private final int claimWindow; // oldest PENDING rows the claim walks before looking for heads past them
  private final int maxAttempts;
  private final Backoff backoff;
  private final Duration pollInterval;
  private final Duration ackTimeout;
  private final Duration retention;
  private final Duration retentionInterval;
  private final int retentionBatchSize;
  private final boolean listen;
  private final Clock clock;
  private final RelayMetrics metrics;
  private final ThreadFactory threadFactory;
  private final Jdbi jdbi;

  private final WakeSignal signal = new WakeSignal();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private volatile boolean running;
  private Thread publisherThread;
  private Thread listenerThread;
  private NotificationListener listener;
  private Handle handle; // publisher thread only
  private long failuresSinceWarning; // publisher thread only
  private long nextFailureWarning = System.nanoTime(); // publisher thread only

  private OutboxRelay(Builder b) {
    this.name = b.name;
    this.dataSource = b.dataSource;
    this.producer = b.producer;
    this.batchSize = b.batchSize;
    this.claimWindow = 2 * b.batchSize;
    this.maxAttempts = b.maxAttempts;
    this.backoff = new Backoff(b.backoffBase, b.backoffMax, b.jitter);
    this.pollInterval = b.pollInterval;
    this.ackTimeout = b.ackTimeout;
    this.retention = b.retention;
    this.retentionInterval = b.retentionInterval;
    this.retentionBatchSize = b.retentionBatchSize;
    this.listen = b.listen;
    this.clock = b.clock;
    this.metrics = b.metrics;
    this.threadFactory = b.threadFactory;
    this.jdbi = Jdbi.create(dataSource);
    jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Producer settings the relay is designed for: idempotent, {@code acks=all}, byte arrays, and timeouts short
   * enough that a dead broker surfaces as a failed attempt in seconds (then the relay's backoff takes over, rather
   * than the producer retrying for its default two minutes). Returned mutable so callers can add or override
   * (client.id, security, max.request.size, ...).
   */
  public static Map<String, Object> producerProperties(String bootstrapServers) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // ≤ 5 keeps order with idempotence
    p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE); // bounded by delivery.timeout.ms
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0); // the relay sends a whole round, then flushes: nothing to wait for
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000); // ≥ linger.ms + request.timeout.ms
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000); // send() waiting for metadata of an unreachable cluster
    return p;
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
    publisherThread = thread(name + "-publisher", this::publishLoop);
    if (listen) {
      listener = new NotificationListener(dataSource, signal, pollInterval, name);
      listenerThread = thread(name + "-listener", listener);
      listenerThread.start();
    }
    publisherThread.start();
    log.info(
        "{} started: batchSize={}, maxAttempts={}, backoff={}..{} (jitter {}), pollInterval={}, ackTimeout={},"
            + " retention={} (checked every {}), listen={}",
        name, batchSize, maxAttempts, backoff.base(), backoff.max(), backoff.jitter(), pollInterval, ackTimeout,
        retention, retentionInterval, listen);
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
    stopRequested.countDown();
    signal.wake();
    if (listener != null) {
      listener.stop();
    }
    join(publisherThread, ackTimeout.plusSeconds(5));
    join(listenerThread, Duration.ofSeconds(5));
    log.info("{} stopped", name);
  }

  // ---- the publisher thread ----

  private void publishLoop() {
    long errorDelayMillis = 0;
    long nextBacklogReport = System.nanoTime();
    long nextRetention = System.nanoTime();
    try {
      while (running) {
        try {
          Handle h = handle();
          boolean moreWork = publishRound(h);
          errorDelayMillis = 0;
          long now = System.nanoTime();
          if (now - nextBacklogReport >= 0) {
            RelayQueries.Backlog backlog = RelayQueries.backlog(h);
            metrics.backlog(backlog.pendingRows(), backlog.oldestPendingAge());
            nextBacklogReport = now + BACKLOG_REPORT_INTERVAL.toNanos();
          }
          if (now - nextRetention >= 0) {
            boolean more = deleteOldPublishedRows(h);
            nextRetention = more ? System.nanoTime() : System.nanoTime() + retentionInterval.toNanos();
          }
          if (moreWork) {
            continue;
          }
          if (signal.await(0)) {
            continue; // woken while busy: new rows, skip the idle bookkeeping
          }
          signal.await(idleWaitNanos(h, nextRetention));
        } catch (RuntimeException e) {
          if (!running) {
            break;
          }
          discardHandle();
          metrics.relayError(e);
          errorDelayMillis = errorDelayMillis == 0 ? 100 : Math.min(errorDelayMillis * 2, pollInterval.toMillis());
          log.warn(
              "{}: round failed ({}); claimed rows were rolled back and stay PENDING; trying again in {} ms",
              name, oneLine(e), errorDelayMillis);
          stopRequested.await(errorDelayMillis, TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      discardHandle();
    }
  }

  /** One claim-send-settle transaction; returns whether more rows are likely claimable right away. */
  private boolean publishRound(Handle h) throws InterruptedException {
    Round round =
        h.inTransaction(
            tx -> {
              List<ClaimedRow> rows = RelayQueries.claim(tx, clock.instant(), batchSize, claimWindow);
              if (rows.isEmpty()) {
                return Round.EMPTY;
              }
              List<Delivery> deliveries = send(rows);
              try {
                producer.flush();
              } catch (RuntimeException e) {
                // each row's future carries its own outcome; a flush failure alone decides nothing
                log.debug("{}: producer flush failed: {}", name, oneLine(e));
              }
              return settle(tx, deliveries);
            });
    report(round);
    // a full round may have left due rows behind; a settled head may have unblocked the next row of its key
    return round.claimed() == batchSize || round.unblocksSuccessor();
  }

  private List<Delivery> send(List<ClaimedRow> rows) {
    List<Delivery> deliveries = new ArrayList<>(rows.size());
    // send() blocks up to max.block.ms per record when a topic's metadata cannot be fetched; after the first such
    // failure the rest of that topic's rows in this round fail the same way without blocking again
    Map<String, Throwable> unreachable = new HashMap<>();
    for (ClaimedRow row : rows) {
      Throwable topicFailure = unreachable.get(row.topic());
      Delivery delivery =
          topicFailure != null
              ? Delivery.notSent(row, new OutboxException("not sent: " + oneLine(topicFailure)))
              : Delivery.send(producer, row, clock);
      if (delivery.failedImmediatelyWith(org.apache.kafka.common.errors.TimeoutException.class)) {
        unreachable.put(row.topic(), delivery.immediateFailure());
      }
      deliveries.add(delivery);
    }
    return deliveries;
  }

  private Round settle(Handle tx, List<Delivery> deliveries) throws InterruptedException {
    long deadline = System.nanoTime() + ackTimeout.toNanos();
    List<Delivery> acked = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    for (Delivery d : deliveries) {
      Throwable error = d.await(deadline, ackTimeout);
      if (error == null) {
        acked.add(d);
      } else {
        failures.add(new Failure(d.row, oneLine(error), d.row.attempts() + 1));
      }
    }
    Instant now = clock.instant();
    if (!acked.isEmpty()) {
      List<Long> ids = acked.stream().map(d -> d.row.id()).toList();
      int marked = RelayQueries.markPublished(tx, ids, now);
      if (marked != ids.size()) {
        // we hold these rows' locks, so this is a broken invariant: roll back, the rows will be sent again
        throw new OutboxException(
            name + ": marked " + marked + " of " + ids.size() + " acknowledged rows published (ids " + ids
                + "); rolling back so they are re-sent");
      }
    }
    for (Failure f : failures) {
      boolean dead = f.attempts >= maxAttempts;
      Instant next = dead ? null : now.plus(backoff.delayAfter(f.attempts, ThreadLocalRandom.current().nextDouble()));
      int marked =
          RelayQueries.markFailed(
              tx, f.row.id(), dead ? OutboxStatus.DEAD : OutboxStatus.PENDING, f.attempts, next, now, f.error);
      if (marked != 1) {
        throw new OutboxException(name + ": could not record the failure of " + f.row.describe() + "; rolling back");
      }
      f.dead = dead;
      f.nextAttemptAt = next;
    }
    return new Round(deliveries.size(), acked, failures);
  }

  private void report(Round round) {
    for (Delivery d : round.acked()) {
      Instant ackedAt = d.ackedAt != null ? d.ackedAt : clock.instant();
      metrics.published(d.row.topic(), d.row.eventType(), Duration.between(d.row.createdAt(), ackedAt));
      PublicationLog.published(name, d.row); // the stable "event.published" line (cj audit logs)
    }
    Failure firstRetry = null;
    int retries = 0;
    for (Failure f : round.failures()) {
      metrics.publishFailed(f.row.topic(), f.row.eventType(), f.attempts);
      if (f.dead) {
        metrics.dead(f.row.topic(), f.row.eventType());
        log.error(
            "{}: {} is DEAD after {} failed attempts (limit maxAttempts={}); last error: {}. It will not be retried"
                + " automatically and no longer holds back later rows of key '{}'. Inspect with `cj outbox dead`,"
                + " fix the cause, then re-drive it with `cj outbox retry {}`",
            name, f.row.describe(), f.attempts, maxAttempts, f.error, f.row.key(), f.row.id());
      } else {
        retries++;
        if (firstRetry == null) {
          firstRetry = f;
        }
        log.debug("{}: attempt {}/{} of {} failed: {}", name, f.attempts, maxAttempts, f.row.describe(), f.error);
      }
    }
    if (firstRetry != null) {
      // an outage fails every row in every round: one WARN per FAILURE_LOG_INTERVAL, the rest at DEBUG
      failuresSinceWarning += retries;
      long now = System.nanoTime();
      if (now - nextFailureWarning >= 0) {
        log.warn(
            "{}: {} publish attempts failed since the last report and will be retried with backoff; latest: {}"
                + " attempt {}/{}, next at {}: {}",
            name, failuresSinceWarning, firstRetry.row.describe(), firstRetry.attempts, maxAttempts,
            firstRetry.nextAttemptAt, firstRetry.error);
        failuresSinceWarning = 0;
        nextFailureWarning = now + FAILURE_LOG_INTERVAL.toNanos();
      }
    }
  }

  private boolean deleteOldPublishedRows(Handle h) {
    Instant cutoff = clock.instant().minus(retention);
    long deadline = System.nanoTime() + RETENTION_TIME_BUDGET.toNanos();
    int total = 0;
    int deleted;
    do {
      deleted = OutboxAdmin.deletePublishedBefore(h, cutoff, retentionBatchSize);
      total += deleted;
    } while (deleted == retentionBatchSize && running && System.nanoTime() - deadline < 0);
    if (total > 0) {
      metrics.retentionDeleted(total);
      log.debug("{}: retention deleted {} rows published before {}", name, total, cutoff);
    }
    return deleted == retentionBatchSize; // more to delete: continue soon, between rounds
  }

  private long idleWaitNanos(Handle h, long nextRetention) {
    Instant now = clock.instant();
    long wait = pollInterval.toNanos();
    Optional<Instant> due = RelayQueries.nextDue(h, now);
    if (due.isPresent()) {
      wait = Math.min(wait, Math.max(TimeUnit.MILLISECONDS.toNanos(1), Duration.between(now, due.get()).toNanos()));
    }
    return Math.max(0, Math.min(wait, nextRetention - System.nanoTime()));
  }

  private Handle handle() {
    if (handle == null) {
      handle = jdbi.open();
    }
    return handle;
  }

  private void discardHandle() {
    if (handle != null) {
      try {
        handle.close();
      } catch (RuntimeException e) {
        log.debug("{}: closing a broken handle failed: {}", name, oneLine(e));
      }
      handle = null;
    }
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

  // ---- one row in flight ----

  private static final class Delivery {
    final ClaimedRow row;
    private Future<RecordMetadata> future;
    private Throwable sendError;
    private volatile Instant ackedAt; // set on the producer's I/O thread

    private Delivery(ClaimedRow row) {
      this.row = row;
    }

    static Delivery send(Producer<byte[], byte[]> producer, ClaimedRow row, Clock clock) {
      Delivery delivery = new Delivery(row);
      try {
        delivery.future =
            producer.send(
                OutboxRecords.toRecord(row),
                (metadata, exception) -> {
                  if (exception == null) {
                    delivery.ackedAt = clock.instant();
                  }
                });
      } catch (RuntimeException e) {
        delivery.sendError = e;
      }
      return delivery;
    }

    static Delivery notSent(ClaimedRow row, Throwable reason) {
      Delivery delivery = new Delivery(row);
      delivery.sendError = reason;
      return delivery;
    }

    Throwable immediateFailure() {
      if (sendError != null) {
        return sendError;
      }
      if (future.isDone()) {
        try {
          future.get();
        } catch (ExecutionException e) {
          return e.getCause() != null ? e.getCause() : e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return null;
    }

    boolean failedImmediatelyWith(Class<? extends Throwable> type) {
      return type.isInstance(immediateFailure());
    }

    /** {@code null} once the broker acknowledged this row; otherwise why not. */
    Throwable await(long deadlineNanos, Duration ackTimeout) throws InterruptedException {
      if (sendError != null) {
        return sendError;
      }
      try {
        future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        return null;
      } catch (ExecutionException e) {
        return e.getCause() != null ? e.getCause() : e;
      } catch (TimeoutException e) {
        return new OutboxException("no broker acknowledgement within ackTimeout " + ackTimeout);
      }
    }
  }

  private static final class Failure {
    final ClaimedRow row;
    final String error;
    final int attempts;
    boolean dead;
    Instant nextAttemptAt;

    Failure(ClaimedRow row, String error, int attempts) {
      this.row = row;
      this.error = error;
      this.attempts = attempts;
    }
  }

  /** What a committed round did; reported only after the commit so metrics and logs never run ahead of the table. */
  private record Round(int claimed, List<Delivery> acked, List<Failure> failures) {
    static final Round EMPTY = new Round(0, List.of(), List.of());

    /** A row left PENDING (retry) keeps its successor blocked; a published or dead one frees it. */
    boolean unblocksSuccessor() {
      return acked.stream().anyMatch(d -> d.row.hasSuccessor())
          || failures.stream().anyMatch(f -> f.dead && f.row.hasSuccessor());
    }
  }

  // ---- configuration ----

  /** Fills defaults and validates the whole configuration at {@link #build()}, before anything starts. */
  public static final class Builder {
    private String name = "cj-outbox-relay";
    private DataSource dataSource;
    private Producer<byte[], byte[]> producer;
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

    /** Required. The relay takes two connections from it for its lifetime. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = dataSource;
      return this;
    }

    /** Required; see {@link #producerProperties(String)}. Not closed by the relay. */
    public Builder producer(Producer<byte[], byte[]> producer) {
      this.producer = producer;
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
        problems.add("dataSource is not set: pass the service's pooled DataSource (the relay holds 2 connections)");
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
