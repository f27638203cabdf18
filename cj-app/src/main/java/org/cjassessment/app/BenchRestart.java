package org.cjassessment.app;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cjassessment.app.runtime.ServiceConfig;
import org.cjassessment.embedded.EmbeddedInfrastructure;
import org.cjassessment.service.Topics;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cj bench restart}: after {@code kill -9} of {@code cj serve}, how long until the restarted process has
 * consumed and applied the first record waiting for it. Issue 8 asks that it "resumes consuming within 5 s"; readiness
 * ({@code /readyz}) is printed beside it, but the figure is the first callback applied.
 *
 * <p>One round: a pending comparison is picked, the child is killed with SIGKILL (no LeaveGroup: the broker still
 * counts its static members), one judge answer for that comparison is produced to the callback topic, the child is
 * started again with the same {@code CJ_INSTANCE_NAME}, and the clock runs from just before the process start to the
 * comparison's {@code answered_at} (set by the service when it applies the answer; same machine clock). The broker
 * and PostgreSQL are the embedded ones, in this JVM; the service is a child JVM as in production.
 */
@Command(name = "restart", mixinStandardHelpOptions = true, description = {
    "Seconds from the start of a restarted `cj serve` (after kill -9) to the first record consumed and applied,",
    "and to /readyz READY; median over --restarts per JVM option set, the option sets interleaved in one run."})
final class BenchRestart implements Callable<Integer> {

  @Option(names = "--restarts", defaultValue = "5", description = "Restarts per option set (default 5).")
  int restarts;

  @Option(names = "--java-opts", description = "JVM options of the child, one set per use of the option, compared "
      + "in the same run (e.g. --java-opts='' --java-opts='-XX:TieredStopAtLevel=1'); default: none (the baseline) "
      + "and, when ./cj has recorded its class-data archive (cj-app/target/cj-app.jsa), the options ./cj runs with.")
  List<String> javaOpts;

  @Option(names = "--session-timeout", defaultValue = "30", description = "CJ_KAFKA_SESSION_TIMEOUT_SECONDS of the "
      + "child (default 30, the service's default): a dynamic member would wait about this long.")
  int sessionTimeout;

  @Override
  public Integer call() throws Exception {
    if (restarts < 1) {
      throw new UserInputException("--restarts must be >= 1, got " + restarts);
    }
    if (sessionTimeout < 6 || sessionTimeout > 1800) {
      throw new UserInputException("--session-timeout must be 6..1800 seconds (the service's range), got "
          + sessionTimeout);
    }
    List<String> optionSets = javaOpts == null || javaOpts.isEmpty() ? defaultOptionSets() : javaOpts;
    Path dir = Files.createTempDirectory("cj-bench-restart");
    try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start()) {
      String db = infra.database().createDatabase("cj_bench_restart");
      Map<String, String> env = new HashMap<>(ServiceConfig.infrastructure(db, infra.database().username(),
          infra.database().password(), infra.kafka().bootstrapServers()));
      Topics topics = ServiceConfig.fromEnvironment(env).settings().topics();
      infra.kafka().createTopics(3, topics.all()); // pre-created, as in production: no CJ_CREATE_TOPICS round trip
      env.put("CJ_KAFKA_SESSION_TIMEOUT_SECONDS", Integer.toString(sessionTimeout));
      System.out.printf(Locale.ROOT, "load average (1/5/15 min) at the start: %s; child logs in %s%n",
          loadAverage(), dir);
      List<List<Restart>> figures = measure(env, optionSets, restarts, dir, System.out);
      System.out.printf(Locale.ROOT, "load average (1/5/15 min) at the end: %s%n", loadAverage());
      for (int set = 0; set < optionSets.size(); set++) {
        List<Restart> f = figures.get(set);
        System.out.printf(Locale.ROOT, "[%s] median of %d restarts: first record applied %.2f s (min %.2f, max %.2f),"
            + " /readyz READY %.2f s%n", label(optionSets.get(set)), f.size(),
            median(f.stream().mapToDouble(Restart::firstRecordApplied)),
            f.stream().mapToDouble(Restart::firstRecordApplied).min().orElseThrow(),
            f.stream().mapToDouble(Restart::firstRecordApplied).max().orElseThrow(),
            median(f.stream().mapToDouble(Restart::ready)));
      }
    }
    return 0;
  }

  /**
   * One restart: seconds from the process start to the first record applied (by the service's own timestamp), to
   * this bench seeing it applied (an independent clock reading: polling the database every 10 ms, so never earlier),
   * and to {@code /readyz} 200.
   */
  record Restart(double firstRecordApplied, double seenApplied, double ready) {}

  /**
   * Starts {@code cj serve} as a child JVM, submits one batch over HTTP, then kills and restarts the child
   * {@code restarts} times per option set (the sets interleaved), one judge answer waiting on the callback topic at
   * each restart.
   *
   * @param env the CJ_* variables of the child: database, broker (topics already created), topics if not the
   *     default ones; the instance name, HTTP address and CJ_AUTH=none are added here
   * @return per option set, its restarts in order
   */
  static List<List<Restart>> measure(Map<String, String> env, List<String> optionSets, int restarts, Path dir,
      PrintStream out) throws Exception {
    Map<String, String> childEnv = new HashMap<>(env);
    int port = freePort();
    childEnv.put("CJ_INSTANCE_NAME", "bench-restart");
    childEnv.put("CJ_HTTP_HOST", "127.0.0.1");
    childEnv.put("CJ_HTTP_PORT", Integer.toString(port));
    childEnv.put("CJ_AUTH", "none");
    ServiceConfig config = ServiceConfig.fromEnvironment(childEnv);
    Topics topics = config.settings().topics();
    Jdbi jdbi = Jdbi.create(config.jdbcUrl(), config.dbUser(), config.dbPassword());
    HttpClient http = HttpClient.newHttpClient();
    List<List<Restart>> figures = new ArrayList<>();
    optionSets.forEach(o -> figures.add(new ArrayList<>()));
    Process child = start(dir, "start", optionSets.get(0), childEnv);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      awaitReady(http, port, child, Duration.ofSeconds(180), dir.resolve("start.log"));
      submitBatch(http, port, 20 + restarts * optionSets.size());
      for (int round = 0; round < restarts; round++) {
        for (int set = 0; set < optionSets.size(); set++) {
          String correlationId = awaitPending(jdbi);
          child.destroyForcibly(); // SIGKILL: no LeaveGroup, the broker still counts the static members
          if (!child.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("cj serve did not die after SIGKILL");
          }
          producer.send(new ProducerRecord<>(topics.callbacks(), correlationId.getBytes(StandardCharsets.UTF_8),
              BenchCommand.Ingest.callback(correlationId, true))).get();
          String name = "restart-" + set + "-" + round;
          Instant started = Instant.now();
          long startedNanos = System.nanoTime();
          child = start(dir, name, optionSets.get(set), childEnv);
          double ready = awaitReady(http, port, child, Duration.ofSeconds(120), dir.resolve(name + ".log"))
              - startedNanos / 1e9;
          Instant applied = awaitApplied(jdbi, correlationId, Duration.ofSeconds(120));
          double seen = (System.nanoTime() - startedNanos) / 1e9;
          Restart r = new Restart(Duration.between(started, applied).toNanos() / 1e9, seen, ready);
          figures.get(set).add(r);
          out.printf(Locale.ROOT, "restart %d [%s]: first record applied %.2f s, /readyz READY %.2f s%n",
              round + 1, label(optionSets.get(set)), r.firstRecordApplied(), r.ready());
        }
      }
    } finally {
      child.destroy();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    return figures;
  }

  /** No options, and the ones ./cj adds when its class-data archive is current (the same flags as the script). */
  private static List<String> defaultOptionSets() {
    String classPath = System.getProperty("java.class.path");
    if (classPath.endsWith(".jar")) {
      Path jar = Path.of(classPath);
      Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
      try {
        if (Files.exists(archive)
            && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
          return List.of("", "-XX:SharedArchiveFile=" + archive + " -Xshare:auto -Xlog:cds*=off");
        }
      } catch (IOException e) {
        // no archive then
      }
    }
    System.out.println("no current class-data archive next to the jar (./cj records it on the first `./cj serve`, "
        + "e.g. `./cj serve --help`): measuring without it only");
    return List.of("");
  }

  private static String label(String opts) {
    return opts.isBlank() ? "default JVM flags" : opts.trim();
  }

  private static Process start(Path dir, String name, String opts, Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String o : opts.trim().split("\\s+")) {
      if (!o.isEmpty()) {
        command.add(o);
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), CjCommand.class.getName(), "serve"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("CJ_"));
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Polls /readyz until 200; returns System.nanoTime() / 1e9 at that moment. */
  private static double awaitReady(HttpClient http, int port, Process child, Duration atMost, Path log)
      throws Exception {
    long deadline = System.nanoTime() + atMost.toNanos();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
        .timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        throw new IllegalStateException("cj serve exited; its log: " + log);
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return System.nanoTime() / 1e9;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(10); // a benchmark polling a child process, not a test
    }
    throw new IllegalStateException("cj serve not ready within " + atMost + "; its log: " + log);
  }

  private static void submitBatch(HttpClient http, int port, int students) throws Exception {
    StringBuilder essays = new StringBuilder();
    for (int i = 0; i < students * 2; i++) {
      essays.append(i == 0 ? "" : ",").append("{\"essay_id\":\"e").append(i)
          .append("\",\"text\":\"Restart benchmark essay ").append(i).append(".\"}");
    }
    String body = "{\"batch_id\":\"bench-restart\",\"max_comparisons\":10000,\"essays\":[" + essays + "]}";
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/v1/batches")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException("POST /api/v1/batches: " + response.statusCode() + " " + response.body());
    }
  }

  /** A comparison still waiting for its answer (the first wave is dispatched asynchronously after intake). */
  private static String awaitPending(Jdbi jdbi) throws InterruptedException {
    for (int i = 0; i < 6_000; i++) {
      Optional<String> id = jdbi.withHandle(h -> h.createQuery(
          "SELECT correlation_id::text FROM comparisons WHERE status = 'PENDING' ORDER BY id LIMIT 1")
          .mapTo(String.class).findOne());
      if (id.isPresent()) {
        return id.get();
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("no pending comparison within 60 s");
  }

  private static Instant awaitApplied(Jdbi jdbi, String correlationId, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Instant> at = jdbi.withHandle(h -> h.createQuery(
          "SELECT answered_at FROM comparisons WHERE correlation_id = CAST(:id AS uuid) AND status <> 'PENDING'")
          .bind("id", correlationId).mapTo(Instant.class).findOne());
      if (at.isPresent()) {
        return at.get();
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("the answer for " + correlationId + " was not applied within " + atMost);
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static double median(java.util.stream.DoubleStream values) {
    double[] v = values.sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
