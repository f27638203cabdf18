package org.cjassessment.embedded;

import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one node), run in this JVM by
 * {@link KafkaRaftServer}, the class {@code kafka.Kafka} runs in production. No test kit: nothing from JUnit or
 * Kafka's test jars enters the application's classpath. Listens on 127.0.0.1 only; its data lives in a temporary
 * directory deleted on close.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int START_ATTEMPTS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final short REPLICATION_FACTOR = 1;
  private static final String SCRATCH_PREFIX = "cj-kafka-";
  private static final int ANY_PORT = 0;

  private final KafkaRaftServer server;
  private final OwnedDirectory directory;
  private final String bootstrapServers;
  private final Admin admin;
  private final Duration startupTime;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(KafkaRaftServer server, OwnedDirectory directory, String bootstrapServers, Admin admin,
      Duration startupTime) {
    this.server = server;
    this.directory = directory;
    this.bootstrapServers = bootstrapServers;
    this.admin = admin;
    this.startupTime = startupTime;
  }

  public static EmbeddedKafka start() {
    return start(Map.of());
  }

  /**
   * Starts the broker and returns once it serves clients.
   *
   * @param brokerOverrides broker properties that replace or add to the defaults (e.g. {@code num.partitions})
   */
  public static EmbeddedKafka start(Map<String, String> brokerOverrides) {
    long started = System.nanoTime();
    // an in-process broker dies with its JVM, but a killed JVM leaves its data behind
    ScratchDirectory.sweepOrphans(SCRATCH_PREFIX, directory -> {});
    RuntimeException lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      ScratchDirectory directory = ScratchDirectory.create(SCRATCH_PREFIX);
      try {
        EmbeddedKafka kafka = startIn(directory, brokerOverrides, started, ANY_PORT);
        log.info("Kafka {} (KRaft, broker+controller) listening at {} (started in {})",
            AppInfoParser.getVersion(), kafka.bootstrapServers, Durations.seconds(kafka.startupTime));
        return kafka;
      } catch (RuntimeException e) {
        directory.close();
        lastFailure = e;
        if (!isPortClash(e)) {
          break;
        }
        // a probed port was taken before the broker bound it: try fresh ports
        log.warn("Kafka start attempt {} lost a port race: {}", attempt, e.getMessage());
      }
    }
    throw new IllegalStateException("Kafka did not start", lastFailure);
  }

  /**
   * Starts a broker whose log directory ({@code directory/data}) survives the process: topics, records and
   * committed consumer offsets are there again on the next start (after a clean stop or a {@code kill -9}; Kafka
   * recovers an unclean log itself). Ports are new on every start; the single-voter quorum is static, so a changed
   * controller port is harmless. The directory is locked while the broker runs. {@link #startPersistent(Path, int)}
   * keeps the client port too.
   *
   * @throws DirectoryInUseException when another live process uses the directory
   */
  public static EmbeddedKafka startPersistent(Path directory) {
    return startPersistent(directory, ANY_PORT);
  }

  /**
   * {@link #startPersistent(Path)} with the client listener on {@code port} (127.0.0.1), so clients configured with
   * the address of an earlier start of the same directory reconnect by themselves: a broker stopped and started
   * again on the same port with the same data, as an outage of a real one looks to its clients. The controller
   * listener still takes a free port. No retry on a port clash: the port is the caller's.
   *
   * @param port the broker's client port, 1–65535
   * @throws DirectoryInUseException when another live process uses the directory
   */
  public static EmbeddedKafka startPersistent(Path directory, int port) {
    if (port != ANY_PORT && (port < 1 || port > 65_535)) {
      throw new IllegalArgumentException("port = " + port + " is not a TCP port");
    }
    long started = System.nanoTime();
    PersistentDirectory owned = PersistentDirectory.lock(directory);
    RuntimeException lastFailure = null;
    int attempts = port == ANY_PORT ? START_ATTEMPTS : 1;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        EmbeddedKafka kafka = startIn(owned, Map.of(), started, port);
        log.info("Kafka {} (KRaft, broker+controller) listening at {}, data in {} (started in {})",
            AppInfoParser.getVersion(), kafka.bootstrapServers, owned.path(), Durations.seconds(kafka.startupTime));
        return kafka;
      } catch (RuntimeException e) {
        lastFailure = e;
        if (!isPortClash(e)) {
          break;
        }
        log.warn("Kafka start attempt {} lost a port race: {}", attempt, e.getMessage());
      }
    }
    owned.close();
    throw new IllegalStateException("Kafka did not start on " + directory, lastFailure);
  }

  private static EmbeddedKafka startIn(OwnedDirectory directory, Map<String, String> overrides, long started,
      int port) {
    int[] ports = LoopbackPorts.free(2);
    int brokerPort = port == ANY_PORT ? ports[0] : port;
    int controllerPort = ports[0] == brokerPort ? ports[1] : ports[0];
    Path dataDirectory = directory.path().resolve("data");
    Properties props = SingleNodeKraftConfig.properties(dataDirectory, brokerPort, controllerPort, overrides);
    KafkaConfig config = new KafkaConfig(props, false);
    if (!java.nio.file.Files.exists(dataDirectory.resolve("meta.properties"))) {
      // new, or a start killed while formatting: format from scratch (nothing in it was ever used)
      TempDirectories.deleteQuietly(dataDirectory);
      KraftStorage.format(dataDirectory);
    }

    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    Admin admin = null;
    try {
      // returns once the broker is registered and unfenced
      server.startup();
      String bootstrapServers = LoopbackPorts.HOST + ":" + brokerPort;
      admin = Admin.create(adminConfig(bootstrapServers));
      awaitBrokerServesMetadata(admin);
      return new EmbeddedKafka(server, directory, bootstrapServers, admin, Durations.since(started));
    } catch (RuntimeException e) {
      if (admin != null) {
        admin.close(Duration.ZERO);
      }
      shutdown(server);
      throw e;
    }
  }

  private static Map<String, Object> adminConfig(String bootstrapServers) {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.CLIENT_ID_CONFIG, "cj-embedded-admin");
  }

  private static void awaitBrokerServesMetadata(Admin admin) {
    Polling.await("the broker to serve metadata", READY_TIMEOUT,
        () -> admin.describeCluster().nodes().get().size() == 1);
  }

  private static boolean isPortClash(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (cause instanceof BindException || message.contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  /** Host and port for {@code bootstrap.servers}, e.g. "127.0.0.1:40123". */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The client port of {@link #bootstrapServers()}. */
  public int port() {
    return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
  }

  /** Creates single-partition topics; see {@link #createTopics(int, String...)}. */
  public void createTopics(String... names) {
    createTopics(1, names);
  }

  /**
   * Creates the topics that do not exist yet (existing ones are left as they are) and waits until every partition
   * of every named topic has a leader, so producers and consumers can use them at once.
   */
  public void createTopics(int partitions, String... names) {
    List<NewTopic> topics = Arrays.stream(names)
        .map(name -> new NewTopic(name, partitions, REPLICATION_FACTOR))
        .collect(Collectors.toList());
    admin.createTopics(topics).values().forEach((name, created) -> awaitCreatedOrExisting(name, created));
    Polling.await("leaders for topics " + Arrays.toString(names), READY_TIMEOUT, () -> allHaveLeaders(names));
  }

  private static void awaitCreatedOrExisting(String name, KafkaFuture<Void> created) {
    try {
      created.get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + name, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    }
  }

  private boolean allHaveLeaders(String... names) throws Exception {
    Map<String, TopicDescription> descriptions = admin.describeTopics(Arrays.asList(names)).allTopicNames().get();
    return descriptions.values().stream()
        .flatMap(description -> description.partitions().stream())
        .map(TopicPartitionInfo::leader)
        .allMatch(leader -> leader != null && !leader.isEmpty());
  }

  /** Kafka version of the broker, e.g. "4.1.1". */
  public String version() {
    return AppInfoParser.getVersion();
  }

  /** Wall time from {@link #start()} until the broker served metadata. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Shuts the broker down (controlled) and deletes its data; later calls do nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long started = System.nanoTime();
    admin.close(Duration.ofSeconds(5));
    shutdown(server);
    directory.close();
    log.info("Kafka at {} stopped in {}", bootstrapServers, Durations.seconds(Durations.since(started)));
  }

  private static void shutdown(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      log.warn("Kafka did not shut down cleanly", e);
    }
  }

  @Override
  public String toString() {
    return "Kafka " + version() + " at " + bootstrapServers;
  }
}
