package org.cjassessment.app;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cjassessment.app.runtime.ServiceConfig;
import org.cjassessment.app.runtime.ServiceRuntime;
import org.cjassessment.embedded.EmbeddedInfrastructure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
        "Run the service: Kafka intake and callbacks, outbox relay, monitor and the HTTP API.",
        "Configured by CJ_* environment variables (see README). Without CJ_DB_URL and",
        "CJ_KAFKA_BOOTSTRAP_SERVERS it starts an embedded PostgreSQL and Kafka broker and prints where they listen."
    })
final class ServeCommand implements Callable<Integer> {

  /** How long {@code --exit-when-ready} waits for readiness before it stops anyway. */
  private static final long READY_WAIT_MILLIS = 120_000;

  // ./cj runs `serve --exit-when-ready` once per build, with the embedded servers, to record the classes a start
  // loads in a class-data archive (AppCDS); later starts map them instead of loading them (README, "Restarts").
  @Option(names = "--exit-when-ready", hidden = true, description = "Start, wait until ready, stop (exit 0).")
  boolean exitWhenReady;

  /**
   * A port another process holds is found before the embedded servers start (Javalin would find it after them, with
   * a stack trace). A process that takes the port in between still fails at bind.
   */
  static void requireFreePort(String host, int port) {
    if (port == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.bind(new java.net.InetSocketAddress(host, port));
    } catch (java.io.IOException e) {
      throw new UserInputException("CJ_HTTP_PORT=" + port + " on " + host + " is in use (another cj serve?): stop "
          + "that process or choose another port (CJ_HTTP_PORT=0 takes any free port)", e);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    ServiceConfig config;
    try {
      config = ServiceConfig.fromEnvironment(CjCommand.environment());
      config.authenticator(); // refuse a missing key file or CJ_AUTH=none off loopback before anything starts
    } catch (ServiceConfig.ConfigException e) {
      throw new UserInputException(e.getMessage());
    }
    requireFreePort(config.httpHost(), config.httpPort());
    EmbeddedInfrastructure infra = null;
    if (config.embeddedDatabase() || config.embeddedKafka()) {
      if (!(config.embeddedDatabase() && config.embeddedKafka())) {
        throw new UserInputException("set both CJ_DB_URL and CJ_KAFKA_BOOTSTRAP_SERVERS, or neither (embedded)");
      }
      infra = EmbeddedInfrastructure.start();
      System.err.println("cj serve: embedded infrastructure: " + infra.summary());
      Map<String, String> env = new HashMap<>(CjCommand.environment());
      env.putAll(ServiceConfig.infrastructure(infra.database().jdbcUrl(), infra.database().username(),
          infra.database().password(), infra.kafka().bootstrapServers()));
      env.put("CJ_CREATE_TOPICS", "true");
      config = ServiceConfig.fromEnvironment(env);
    }
    ServiceRuntime runtime;
    try {
      runtime = ServiceRuntime.start(config);
    } catch (RuntimeException e) {
      if (infra != null) {
        infra.close(); // the embedded servers this start brought up, not left to the JVM's exit
      }
      throw e;
    }
    System.err.println("cj serve: listening on http://" + config.httpHost() + ":" + runtime.httpPort()
        + " (GET /healthz, /readyz, /metrics; POST /api/v1/batches)");
    if (exitWhenReady) {
      long deadline = System.currentTimeMillis() + READY_WAIT_MILLIS;
      while (!runtime.ready() && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      runtime.close();
      if (infra != null) {
        infra.close();
      }
      return 0;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    EmbeddedInfrastructure started = infra;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      runtime.close();
      if (started != null) {
        started.close();
      }
      stopped.countDown();
    }, "cj-serve-shutdown"));
    stopped.await();
    return 0;
  }
}
