package org.cjassessment.app.runtime;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cjassessment.outbox.JdbiOutboxStore;
import org.cjassessment.outbox.OutboxRelay;
import org.cjassessment.service.Database;
import org.cjassessment.service.ServiceMetrics;
import org.cjassessment.service.ServiceSchema;
import org.cjassessment.service.ServiceSettings;
import org.cjassessment.service.auth.Authenticator;
import org.cjassessment.service.batch.BatchAdvancer;
import org.cjassessment.service.batch.BatchIntake;
import org.cjassessment.service.batch.BatchStore;
import org.cjassessment.service.batch.ComparisonStore;
import org.cjassessment.service.batch.BatchViews;
import org.cjassessment.service.batch.EventFactory;
import org.cjassessment.service.batch.Finalizer;
import org.cjassessment.service.batch.RejectedRequests;
import org.cjassessment.service.batch.WaveDispatcher;
import org.cjassessment.service.callback.CallbackIngestor;
import org.cjassessment.service.http.HttpApi;
import org.cjassessment.service.intake.ContentStore;
import org.cjassessment.service.intake.HttpContentStore;
import org.cjassessment.service.intake.RequestEventParser;
import org.cjassessment.service.kafka.CallbackHandler;
import org.cjassessment.service.kafka.ConsumerLoop;
import org.cjassessment.service.kafka.DeadLetters;
import org.cjassessment.service.kafka.RequestHandler;
import org.cjassessment.service.monitor.AuditRetention;
import org.cjassessment.service.monitor.BatchMonitor;
import org.cjassessment.service.monitor.MonitorSchedule;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of {@code cj serve}: config → pool → schema → Jdbi → stores → services → Kafka loops →
 * outbox relay → monitor → HTTP. Everything is wired here by hand, in that order, and closed in reverse, except that
 * the relay closes after the Kafka loops (so it publishes what they appended). The loops start before the relay so
 * that a restarted instance consumes again as early as it can (docs/BENCHMARKS.md, "Restart after kill -9").
 */
public final class ServiceRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

  /** How often processed-event and late-callback rows past their retention are deleted. */
  private static final Duration RETENTION_INTERVAL = Duration.ofHours(1);

  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final ServiceConfig config;
  private Jdbi jdbi;
  private HttpApi http;
  private BatchIntake intake;
  private BatchViews views;
  private BatchAdvancer advancer;
  private BatchMonitor monitor;
  private MonitorSchedule monitorSchedule;
  private ConsumerLoop requestLoop;
  private ConsumerLoop callbackLoop;
  private PrometheusMeterRegistry registry;
  private volatile KafkaProducer<byte[], byte[]> relayProducer;
  private volatile KafkaConsumer<byte[], byte[]> relayCheck;
  private volatile OutboxRelay relay;

  private ServiceRuntime(ServiceConfig config) {
    this.config = config;
  }

  /** Starts the whole service against the configured (non-embedded) database and broker. */
  public static ServiceRuntime start(ServiceConfig config) {
    if (config.embeddedDatabase() || config.embeddedKafka()) {
      throw new IllegalArgumentException("ServiceRuntime needs CJ_DB_URL and CJ_KAFKA_BOOTSTRAP_SERVERS resolved");
    }
    ServiceRuntime runtime = new ServiceRuntime(config);
    try {
      runtime.wire();
      return runtime;
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
  }

  private void wire() {
    StartupPhases phases = new StartupPhases();
    Authenticator authenticator = config.authenticator(); // before anything starts: a bad key file stops here
    Clock clock = Clock.systemUTC();
    ServiceSettings settings = config.settings();
    HikariDataSource pool = Database.pool(config.jdbcUrl(), config.dbUser(), config.dbPassword(),
        config.dbPoolSize());
    closeables.push(pool);
    phases.done("pool");
    ServiceSchema.migrate(pool);
    phases.done("schema");
    jdbi = Database.jdbi(pool);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    closeables.push(registry::close);
    ServiceMetrics metrics = new ServiceMetrics(registry);

    if (config.createTopics()) {
      createTopics();
    }
    phases.done("metrics+topics");
    JdbiOutboxStore outbox = new JdbiOutboxStore();
    outbox.onAppendCommitted(this::wakeRelay); // an in-process wake-up on top of LISTEN/NOTIFY
    // The relay starts after the consumers (below), but is closed after them: they stop first, then it publishes
    // what they appended.
    closeables.push(() -> {
      if (relayProducer != null) {
        relayProducer.close();
      }
      if (relayCheck != null) {
        relayCheck.close();
      }
    });
    closeables.push(() -> {
      if (relay != null) {
        relay.close();
      }
    });

    BatchStore store = new BatchStore();
    ComparisonStore comparisons = new ComparisonStore();
    EventFactory events = new EventFactory(settings);
    WaveDispatcher waves = new WaveDispatcher(store, comparisons, settings.pairSelector().selector(), events, outbox,
        settings);
    Finalizer finalizer = new Finalizer(store, comparisons, events, outbox, settings);
    advancer = new BatchAdvancer(jdbi, store, comparisons, waves, finalizer, settings, clock, metrics);
    intake = new BatchIntake(jdbi, store, advancer, settings, clock);
    views = new BatchViews(jdbi, store, comparisons);
    monitor = new BatchMonitor(jdbi, store, comparisons, advancer, settings, clock);

    KafkaProducer<byte[], byte[]> dlqProducer =
        new KafkaProducer<>(withClientId(OutboxRelay.producerProperties(config.bootstrapServers()), "dlq"));
    closeables.push(dlqProducer);
    ContentStore content = config.contentServiceUrl() == null ? ContentStore.none()
        : new HttpContentStore(config.contentServiceUrl(), Duration.ofSeconds(30));
    requestLoop = new ConsumerLoop("requests", consumer("requests"), List.of(settings.topics().requests()),
        new RequestHandler(new RequestEventParser(content), intake,
            new DeadLetters(dlqProducer, settings.topics().deadLetters(), "requests", metrics),
            new RejectedRequests(jdbi, store, events, outbox, clock)));
    // Advances after a completed wave run beside the consumer, so finalizations never hold up ingestion.
    java.util.concurrent.ExecutorService advances = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, config.instanceName() + "-advance");
      t.setDaemon(true);
      return t;
    });
    closeables.push(advances::shutdownNow);
    callbackLoop = new ConsumerLoop("callbacks", consumer("callbacks"), List.of(settings.topics().callbacks()),
        new CallbackHandler(new CallbackIngestor(jdbi, store, comparisons, config.faults().answerRetries(), clock),
            advancer,
            new DeadLetters(dlqProducer, settings.topics().deadLetters(), "callbacks", metrics), metrics,
            advances));
    requestLoop.start(config.instanceName() + "-requests");
    callbackLoop.start(config.instanceName() + "-callbacks");
    closeables.push(requestLoop);
    closeables.push(callbackLoop);
    phases.done("consumers");
    // Started after the consumers so that they join their groups (most of a restart's wait) while the relay's
    // producer starts; rows appended meanwhile wait in the outbox and go out in the relay's first round.
    relayProducer =
        new KafkaProducer<>(withClientId(OutboxRelay.producerProperties(config.bootstrapServers()), "relay"));
    // the relay looks on the broker before re-sending a row that may be there already (docs/OUTBOX.md)
    relayCheck = new KafkaConsumer<>(
        withClientId(OutboxRelay.deliveryCheckProperties(config.bootstrapServers()), "relay-check"));
    relay = OutboxRelay.builder()
        .name(config.instanceName() + "-relay")
        .dataSource(pool)
        .producer(relayProducer)
        .deliveryCheck(relayCheck)
        .maxAttempts(config.relayMaxAttempts())
        .retention(config.outboxRetention())
        .metrics(new OutboxMetrics(registry))
        .clock(clock)
        .build()
        .start();
    phases.done("relay");

    monitorSchedule = MonitorSchedule.start(monitor::sweep, config.monitorInterval(), clock,
        config.instanceName() + "-monitor");
    closeables.push(monitorSchedule);
    AuditRetention retention = new AuditRetention(jdbi, comparisons, config.faults().auditRetention(), clock);
    closeables.push(MonitorSchedule.start(retention::purge, RETENTION_INTERVAL, clock,
        config.instanceName() + "-retention"));

    http = HttpApi.start(config.httpHost(), config.httpPort(), intake, views, this::ready, registry,
        authenticator, config.maxRequestBytes());
    closeables.push(http);
    phases.done("monitor+http");
    LOG.info("cj serve {} ready: http://{}:{} (database {}, kafka {})", config.instanceName(), config.httpHost(),
        http.port(), config.jdbcUrl(), config.bootstrapServers());
    LOG.info("cj serve {} started: {}", config.instanceName(), phases.summary());
  }

  private void wakeRelay() {
    OutboxRelay r = relay;
    if (r != null) {
      r.wake();
    }
  }

  /** Readiness, as {@code /readyz} reports it: database reachable, both consumers own partitions, monitor sweeping. */
  public boolean ready() {
    try {
      boolean database = jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one() == 1);
      // Owning partitions: a consumer that is still joining its group (or idle because the instances outnumber the
      // partitions) consumes nothing, so this instance would not see its batches' answers.
      return database && requestLoop.healthy() && callbackLoop.healthy() && requestLoop.ownsPartitions()
          && callbackLoop.ownsPartitions() && monitorSchedule.sweeping();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer(String purpose) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup() + "." + purpose);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.instanceName() + "-" + purpose);
    if (config.groupInstanceId() != null) {
      // Static membership: after a crash the same instance id takes its partitions back at once on restart,
      // instead of every member waiting for the dead one's session to time out (README, "Restarts").
      p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.groupInstanceId() + "-" + purpose);
    }
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.kafkaSessionTimeout().toMillis());
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        (int) Math.max(1000, config.kafkaSessionTimeout().toMillis() / 10));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000); // one transaction per poll: bigger polls, fewer commits
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new KafkaConsumer<>(p);
  }

  private void createTopics() {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
      // one request for all topics: a controller round trip each is seconds on a loaded machine (cj demo's start)
      List<NewTopic> topics = java.util.Arrays.stream(config.settings().topics().all())
          .map(topic -> new NewTopic(topic, config.topicPartitions(), (short) 1)
              // room for the largest (compressed) event: docs/OUTBOX.md, "Sizes"
              .configs(Map.of("max.message.bytes", Integer.toString(OutboxRelay.MAX_REQUEST_BYTES))))
          .toList();
      for (var created : admin.createTopics(topics).values().entrySet()) {
        try {
          created.getValue().get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + created.getKey(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    }
  }

  private Map<String, Object> withClientId(Map<String, Object> props, String purpose) {
    props.put("client.id", config.instanceName() + "-" + purpose);
    return props;
  }

  public int httpPort() {
    return http.port();
  }

  public BatchIntake intake() {
    return intake;
  }

  /** Status and results read models (what the HTTP API serves), for in-process callers such as cj assess. */
  public BatchViews views() {
    return views;
  }

  public BatchAdvancer advancer() {
    return advancer;
  }

  public BatchMonitor monitor() {
    return monitor;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public void close() {
    while (!closeables.isEmpty()) {
      try {
        closeables.pop().close();
      } catch (Exception e) {
        LOG.warn("error while stopping: {}", e.toString());
      }
    }
  }
}
