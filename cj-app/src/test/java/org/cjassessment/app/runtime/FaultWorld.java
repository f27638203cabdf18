package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cjassessment.embedded.EmbeddedDatabase;
import org.cjassessment.embedded.EmbeddedKafka;
import org.cjassessment.service.Topics;
import org.jdbi.v3.core.Jdbi;

/**
 * What the fault suite breaks: a PostgreSQL and a Kafka broker of its own (never the shared ones other tests use),
 * each with a persistent data directory and a fixed port, so stopping one and starting it again looks to the
 * service like an outage of a real server; and {@code cj serve} as a child JVM on a fixed HTTP port, killed with
 * SIGKILL and started again under the same {@code CJ_INSTANCE_NAME}.
 */
final class FaultWorld implements AutoCloseable {

  private final Path dir;
  private final long startedNanos = System.nanoTime();
  private final long startedEpochMillis = System.currentTimeMillis();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final CjProcesses cj;
  private final Topics topics = Runtimes.freshTopics("faults");
  private final Map<String, String> env;
  private final Jdbi jdbi;
  private final int httpPort;
  private EmbeddedDatabase database;
  private EmbeddedKafka kafka;
  private Process serve;
  private int generation;

  FaultWorld(Path dir, Map<String, String> serviceVariables) {
    this.dir = dir;
    this.cj = new CjProcesses(dir);
    database = EmbeddedDatabase.startPersistent(dir.resolve("postgres"));
    kafka = EmbeddedKafka.startPersistent(dir.resolve("kafka"));
    kafka.createTopics(3, topics.all());
    httpPort = freePort();
    env = new HashMap<>(Runtimes.environment(database.jdbcUrl(), database.username(), database.password(),
        kafka.bootstrapServers(), topics, "faults-serve"));
    env.put("CJ_CREATE_TOPICS", "false"); // created above: a restart during a broker outage must not wait on it
    env.put("CJ_HTTP_PORT", Integer.toString(httpPort));
    env.putAll(serviceVariables);
    jdbi = Jdbi.create(database.jdbcUrl(), database.username(), database.password()); // a connection per use
  }

  Topics topics() {
    return topics;
  }

  String bootstrap() {
    return kafka.bootstrapServers();
  }

  Jdbi jdbi() {
    return jdbi;
  }

  URI api(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  HttpClient http() {
    return http;
  }

  /** Seconds since the world was created. */
  double clock() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** A wall-clock instant (a record's timestamp) on the scale of {@link #clock()}. */
  double clockAt(long epochMillis) {
    return (epochMillis - startedEpochMillis) / 1e3;
  }

  String serviceLog() {
    return cj.log("serve-" + generation);
  }

  /** How many lines of every generation's {@code cj serve} log contain {@code text}. */
  long serviceLogLines(String text) {
    long lines = 0;
    for (int g = 1; g <= generation; g++) {
      lines += cj.log("serve-" + g).lines().filter(l -> l.contains(text)).count();
    }
    return lines;
  }

  /** Starts {@code cj serve} (the next generation); returns at once. */
  void startService() throws IOException {
    generation++;
    serve = cj.start("serve-" + generation, env, "serve");
  }

  /** SIGKILL: no shutdown hook, no LeaveGroup, no rollback but the database's own. */
  void killService() throws InterruptedException {
    serve.destroyForcibly();
    assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("killed cj serve exits").isTrue();
  }

  int kills() {
    return generation - 1;
  }

  /** Waits until {@code /readyz} is 200 (database up, both consumers own partitions, monitor sweeping). */
  void awaitReady(Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(this::ready);
  }

  boolean ready() {
    assertThat(serve.isAlive()).as(() -> "cj serve exited:\n" + serviceLog()).isTrue();
    try {
      return http.send(HttpRequest.newBuilder(api("/readyz")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void assertServiceAlive() {
    assertThat(serve.isAlive()).as(() -> "cj serve exited:\n" + serviceLog()).isTrue();
  }

  void stopBroker() {
    kafka.close();
  }

  void startBroker() {
    int port = kafka.port();
    kafka = EmbeddedKafka.startPersistent(dir.resolve("kafka"), port);
  }

  void stopDatabase() {
    database.close();
  }

  void startDatabase() {
    int port = database.port();
    database = EmbeddedDatabase.startPersistent(dir.resolve("postgres"), port);
  }

  private static int freePort() {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      cj.close(); // SIGTERM, then SIGKILL after 30 s
    } finally {
      kafka.close();
      database.close();
    }
  }
}
