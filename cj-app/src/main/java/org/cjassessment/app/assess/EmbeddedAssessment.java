package org.cjassessment.app.assess;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cjassessment.app.UserInputException;
import org.cjassessment.app.runtime.ServiceConfig;
import org.cjassessment.app.runtime.ServiceRuntime;
import org.cjassessment.core.bt.SplitHalfReliability;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.embedded.DirectoryInUseException;
import org.cjassessment.embedded.EmbeddedInfrastructure;
import org.cjassessment.service.Topics;
import org.cjassessment.service.batch.BatchIntake;
import org.cjassessment.service.batch.BatchRequest;
import org.cjassessment.service.batch.BatchViews;
import org.cjassessment.service.batch.ComparisonStore;
import org.cjassessment.service.batch.InvalidRequestException;

/**
 * One whole assessment in this process, on the pipeline {@code cj serve} runs: embedded PostgreSQL and Kafka, the
 * service ({@link ServiceRuntime}, the same composition root), and a judge worker consuming the comparison
 * requests from the broker and answering on the callback topic. The batch enters through the service's intake (the
 * code path a Kafka request event or an HTTP POST takes), every comparison travels as events through the outbox
 * and the broker, and the outcome is read back from the output topics as a downstream consumer would.
 *
 * <p>With a {@code dataRoot} the database and the broker keep their data there, so a run killed at any point and
 * started again on the same root continues the same batch: intake finds it by its id, the relay publishes what it
 * had not, the consumer groups resume at their committed offsets, and the monitor advances a wave whose last
 * callback was committed but not acted on.
 */
public final class EmbeddedAssessment {

  /**
   * Starts the judge worker on the service's broker (its comparison-request topic, a consumer group named after
   * the service's); closed when the run ends.
   */
  @FunctionalInterface
  public interface JudgeStarter {
    AutoCloseable start(ServiceConfig service) throws Exception;
  }

  /**
   * @param dataRoot where the servers keep their data across runs; null = scratch directories deleted at the end
   * @param environment the CJ_* settings of the service (infrastructure ones are replaced by the embedded servers)
   */
  public record Plan(BatchRequest request, Path dataRoot, JudgeStarter judge, Map<String, String> environment) {}

  /**
   * What happened. {@code results} is empty unless the batch COMPLETED.
   *
   * @param resumed the batch already existed (a run continued from an earlier one)
   * @param records records of this batch per output topic, read back from the broker
   * @param result the payload of the result event, when it was read back
   * @param splitHalf split-half reliability of the judged comparisons (empty when the batch did not complete)
   */
  public record Outcome(long jobId, boolean resumed, Map<String, Object> status,
      Optional<BatchViews.Results> results, ComparisonStore.Usage usage, Map<EventKind, Integer> records,
      Optional<JsonNode> result, Optional<SplitHalfReliability> splitHalf, Duration elapsed) {

    public String state() {
      return (String) status.get("state");
    }

    public boolean completed() {
      return "COMPLETED".equals(state());
    }
  }

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration READBACK_TIMEOUT = Duration.ofSeconds(60);

  private final ProgressDisplay display;

  public EmbeddedAssessment(ProgressDisplay display) {
    this.display = display;
  }

  public Outcome run(Plan plan) throws Exception {
    long started = System.nanoTime();
    boolean external = usesExternalInfrastructure(plan.environment());
    display.step(external ? "Using the database and broker of CJ_DB_URL and CJ_KAFKA_BOOTSTRAP_SERVERS..."
        : plan.dataRoot() == null ? "Starting embedded PostgreSQL and Kafka..."
        : "Starting embedded PostgreSQL and Kafka (data in " + plan.dataRoot() + ")...");
    Resources resources = new Resources();
    java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable stop = () -> {
      if (stopping.compareAndSet(false, true)) {
        interrupted(plan);
      }
    };
    Thread onExit = new Thread(() -> { // Ctrl-C stops the servers cleanly
      stop.run();
      resources.close();
    }, "cj-assess-shutdown");
    Runtime.getRuntime().addShutdownHook(onExit);
    StopSignals signals = new StopSignals(stop); // the one line and silent logs before any hook stops a server
    try {
      Map<String, String> env = new HashMap<>(plan.environment());
      if (!external) {
        EmbeddedInfrastructure infra = startInfrastructure(plan.dataRoot());
        resources.infra = infra;
        env.putAll(ServiceConfig.infrastructure(infra.database().jdbcUrl(), infra.database().username(),
            infra.database().password(), infra.kafka().bootstrapServers()));
        env.put("CJ_CREATE_TOPICS", "true");
      }
      ServiceConfig config;
      try {
        config = ServiceConfig.fromEnvironment(serviceEnvironment(env));
      } catch (ServiceConfig.ConfigException e) {
        throw new UserInputException(e.getMessage());
      }
      Topics topics = config.settings().topics();
      String bootstrap = config.bootstrapServers();
      resources.service = ServiceRuntime.start(config);
      resources.judge = plan.judge().start(config);
      display.step(String.format("Infrastructure, service and judge ready in %.1f s",
          (System.nanoTime() - started) / 1e9));

      BatchIntake.Submitted submitted = submit(resources.service, plan.request());
      long jobId = submitted.jobId();
      display.step(submitted.created()
          ? "Submitted batch " + plan.request().upstreamBatchId() + " (" + plan.request().essays().size()
              + " essays) as job " + jobId
          : "Resuming batch " + plan.request().upstreamBatchId() + " (job " + jobId + ") where it stopped");
      Map<String, Object> status = awaitTerminal(resources.service.views(), jobId, started);
      display.done();
      boolean completed = "COMPLETED".equals(status.get("state"));
      List<EventKind> expected = completed
          ? List.of(EventKind.COMPLETED, EventKind.RESULT_PUBLISHED, EventKind.RESOURCE_CONSUMPTION)
          : List.of(EventKind.FAILED);
      OutputTopics.Readback readback = OutputTopics.read(bootstrap, topics, jobId, expected,
          READBACK_TIMEOUT);
      BatchViews views = resources.service.views();
      Optional<BatchViews.Results> results = completed ? views.results(jobId) : Optional.empty();
      // the figure the service stored at the finish: under adaptive pairing the split into the two independent
      // pair streams, which a random split of adaptive data is not (docs/SCORING.md)
      Optional<SplitHalfReliability> splitHalf = results.map(r -> storedSplitHalf(r.reliability()));
      return new Outcome(jobId, !submitted.created(), status, results, views.usage(jobId), readback.records(),
          readback.result(), splitHalf, Duration.ofNanos(System.nanoTime() - started));
    } catch (Exception | Error e) {
      if (stopping.get()) {
        // The servers went down under this thread because the user stopped the run: the JVM is exiting and has said
        // so in one line; a stack trace would only bury that line. Wait here for the exit.
        new java.util.concurrent.CountDownLatch(1).await();
      }
      throw e;
    } finally {
      signals.close();
      resources.close();
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already
      }
    }
  }

  /**
   * Ctrl-C: one line on what to do, instead of the screen of warnings and stack traces that the consumers and the
   * relay log while PostgreSQL (which gets the terminal's signal too) and the broker go down under them. Logs stay on
   * when CJ_LOG_LEVEL asks for them.
   */
  private void interrupted(Plan plan) {
    String level = plan.environment().get("CJ_LOG_LEVEL");
    if ((level == null || level.isBlank())
        && org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs) {
      // every logger, not only the root: logback.xml gives Hikari, Kafka and others levels of their own
      logs.getLoggerList().forEach(l -> l.setLevel(ch.qos.logback.classic.Level.OFF));
    }
    display.done();
    display.step(plan.dataRoot() == null ? "Interrupted."
        : "Interrupted: run the same command again to continue where it stopped (answers already judged are kept "
            + "in " + plan.dataRoot().resolveSibling("journal.jsonl") + " and not asked again)");
  }

  private static EmbeddedInfrastructure startInfrastructure(Path dataRoot) {
    if (dataRoot == null) {
      return EmbeddedInfrastructure.start();
    }
    try {
      return EmbeddedInfrastructure.startPersistent(dataRoot);
    } catch (RuntimeException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof DirectoryInUseException) {
          throw new UserInputException(dataRoot + " is in use by another running cj assess; wait for it to "
              + "finish or choose another --out");
        }
      }
      throw e;
    }
  }

  /** Both CJ_DB_URL and CJ_KAFKA_BOOTSTRAP_SERVERS set: run on them (as {@code cj serve} would), start nothing. */
  static boolean usesExternalInfrastructure(Map<String, String> env) {
    boolean db = env.get("CJ_DB_URL") != null && !env.get("CJ_DB_URL").isBlank();
    boolean kafka = env.get("CJ_KAFKA_BOOTSTRAP_SERVERS") != null && !env.get("CJ_KAFKA_BOOTSTRAP_SERVERS").isBlank();
    if (db != kafka) {
      throw new UserInputException("set both CJ_DB_URL and CJ_KAFKA_BOOTSTRAP_SERVERS, or neither (embedded)");
    }
    return db;
  }

  /**
   * The service's settings: the caller's CJ_* variables, HTTP on a free loopback port without authentication
   * (nothing but this process uses it) and a monitor that sweeps every 2 s unless set: on a resume it advances a
   * wave whose last callback was committed before a kill.
   */
  static Map<String, String> serviceEnvironment(Map<String, String> environment) {
    Map<String, String> env = new HashMap<>(environment);
    env.put("CJ_HTTP_HOST", "127.0.0.1");
    env.put("CJ_HTTP_PORT", "0");
    env.put("CJ_AUTH", "none");
    env.putIfAbsent("CJ_MONITOR_INTERVAL_SECONDS", "2");
    env.putIfAbsent("CJ_INSTANCE_NAME", "cj-assess");
    return env;
  }

  private static BatchIntake.Submitted submit(ServiceRuntime service, BatchRequest request) {
    try {
      return service.intake().submit(request);
    } catch (InvalidRequestException e) {
      throw new UserInputException(e.getMessage(), e);
    }
  }

  private Map<String, Object> awaitTerminal(BatchViews views, long jobId, long started) throws InterruptedException {
    while (true) {
      Map<String, Object> status = views.status(jobId).orElseThrow();
      @SuppressWarnings("unchecked")
      Map<String, Object> p = (Map<String, Object>) status.get("progress");
      display.update(new ProgressDisplay.Snapshot((String) status.get("state"), (int) p.get("wave"),
          (int) p.get("judged"), (int) p.get("errored"), (int) p.get("pending"), (int) p.get("budget"),
          Duration.ofNanos(System.nanoTime() - started)));
      String state = (String) status.get("state");
      if (state.equals("COMPLETED") || state.equals("FAILED")) {
        return status;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** What a run started, closed in reverse order once, by the run or by the shutdown hook (Ctrl-C). */
  private static final class Resources {
    EmbeddedInfrastructure infra;
    ServiceRuntime service;
    AutoCloseable judge;
    private boolean closed;

    synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (judge != null) {
          judge.close();
        }
      } catch (Exception e) {
        // the judge's own log says why; the service and servers must still stop
      }
      if (service != null) {
        service.close();
      }
      if (infra != null) {
        infra.close();
      }
    }
  }

  private static SplitHalfReliability storedSplitHalf(Map<String, Object> reliability) {
    Object value = reliability.get("split_half");
    Object splits = reliability.get("split_half_splits");
    if (!(value instanceof Number v) || !(splits instanceof Number n) || n.intValue() == 0) {
      return new SplitHalfReliability(0, Double.NaN, 0, false);
    }
    return new SplitHalfReliability(v.doubleValue(), Double.NaN, n.intValue(),
        Boolean.TRUE.equals(reliability.get("split_half_by_judge")));
  }
}
