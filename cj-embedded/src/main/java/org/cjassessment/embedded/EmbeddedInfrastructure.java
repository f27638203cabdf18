package org.cjassessment.embedded;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL and Kafka together, started in parallel (each takes seconds, mostly waiting) and stopped in reverse
 * order: Kafka first, then PostgreSQL.
 */
public final class EmbeddedInfrastructure implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

  private final EmbeddedDatabase database;
  private final EmbeddedKafka kafka;
  private final Duration startupTime;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedInfrastructure(EmbeddedDatabase database, EmbeddedKafka kafka, Duration startupTime) {
    this.database = database;
    this.kafka = kafka;
    this.startupTime = startupTime;
  }

  /** Starts both servers on two threads and returns when both are ready; if one fails the other is stopped. */
  public static EmbeddedInfrastructure start() {
    return start(EmbeddedDatabase::start, EmbeddedKafka::start);
  }

  /**
   * Like {@link #start()}, but the data of both servers live under {@code root} ({@code root/postgres},
   * {@code root/kafka}) and survive the process, so a later start on the same root finds the same database,
   * topics and consumer offsets ({@code cj assess --out DIR}). Each directory is locked while its server runs.
   *
   * @throws DirectoryInUseException (as the cause) when another live process uses {@code root}
   */
  public static EmbeddedInfrastructure startPersistent(java.nio.file.Path root) {
    return start(() -> EmbeddedDatabase.startPersistent(root.resolve("postgres")),
        () -> EmbeddedKafka.startPersistent(root.resolve("kafka")));
  }

  private static EmbeddedInfrastructure start(java.util.concurrent.Callable<EmbeddedDatabase> startDatabase,
      java.util.concurrent.Callable<EmbeddedKafka> startKafka) {
    long started = System.nanoTime();
    ExecutorService starters = Executors.newFixedThreadPool(2, new StarterThreads());
    try {
      Future<EmbeddedDatabase> database = starters.submit(startDatabase);
      Future<EmbeddedKafka> kafka = starters.submit(startKafka);
      EmbeddedInfrastructure infrastructure = new EmbeddedInfrastructure(
          await(database, kafka), await(kafka, database), Durations.since(started));
      log.info(infrastructure.summary());
      return infrastructure;
    } finally {
      starters.shutdown();
    }
  }

  /** The result of {@code mine}; on failure also waits for {@code other} and closes it, so nothing leaks. */
  private static <T> T await(Future<T> mine, Future<? extends AutoCloseable> other) {
    try {
      return mine.get();
    } catch (ExecutionException | InterruptedException e) {
      closeWhenStarted(other);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("embedded infrastructure did not start", cause);
    }
  }

  private static void closeWhenStarted(Future<? extends AutoCloseable> other) {
    try {
      other.get().close();
    } catch (Exception ignored) {
      // it failed too, or its close failed: the original failure is the one to report
    }
  }

  public EmbeddedDatabase database() {
    return database;
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  /** Wall time of the parallel start, about the slower of the two. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Where each server listens and how long each took to start, one line each. */
  public String summary() {
    return String.format("Embedded infrastructure ready in %s (started in parallel)%n"
        + "  PostgreSQL %s at %s (user %s) in %s%n"
        + "  Kafka %s (KRaft) at %s in %s",
        Durations.seconds(startupTime),
        database.serverVersion(), database.jdbcUrl(), database.username(), Durations.seconds(database.startupTime()),
        kafka.version(), kafka.bootstrapServers(), Durations.seconds(kafka.startupTime()));
  }

  /** Registers a shutdown hook that closes everything when the JVM exits (Ctrl-C in {@code cj demo}, test JVMs). */
  public EmbeddedInfrastructure closeOnJvmExit() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "cj-embedded-shutdown"));
    return this;
  }

  /** Stops Kafka, then PostgreSQL (the reverse of declaration order); later calls do nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      kafka.close();
    } finally {
      database.close();
    }
  }

  /**
   * Named, non-daemon threads. Threads inherit daemon status from the thread that creates them, so Kafka threads
   * created while starting must not come from a daemon thread: they would not keep {@code cj serve} alive.
   */
  private static final class StarterThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      return new Thread(task, "cj-embedded-starter-" + count.incrementAndGet());
    }
  }
}
