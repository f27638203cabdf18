package org.cjassessment.service;

import org.cjassessment.testing.MutableClock;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.cjassessment.core.pairs.CoveragePairSelector;
import org.cjassessment.outbox.JdbiOutboxStore;
import org.cjassessment.service.batch.BatchAdvancer;
import org.cjassessment.service.batch.BatchIntake;
import org.cjassessment.service.batch.BatchRequest;
import org.cjassessment.service.batch.BatchStore;
import org.cjassessment.service.batch.ComparisonStore;
import org.cjassessment.service.batch.BatchViews;
import org.cjassessment.service.batch.EssayInput;
import org.cjassessment.service.batch.EventFactory;
import org.cjassessment.service.batch.Finalizer;
import org.cjassessment.service.batch.WaveDispatcher;
import org.cjassessment.service.callback.CallbackIngestor;
import org.cjassessment.service.monitor.BatchMonitor;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;

/**
 * The service's parts wired on a fresh real database, without Kafka: what the trigger and idempotency tests drive.
 * Callbacks are fed to the real {@link CallbackIngestor} as the bytes Kafka would deliver.
 */
final class ServiceHarness implements AutoCloseable {

  final MutableClock clock;
  final ServiceSettings settings;
  final HikariDataSource dataSource;
  final Jdbi jdbi;
  final BatchStore store = new BatchStore();
  final ComparisonStore comparisons = new ComparisonStore();
  final BatchAdvancer advancer;
  final BatchIntake intake;
  final CallbackIngestor ingestor;
  final BatchMonitor monitor;
  final BatchViews views;

  ServiceHarness(ServiceSettings settings) {
    this(settings, new MutableClock());
  }

  /** With a clock of the test's choosing, e.g. fixed at an instant so that event timestamps are reproducible. */
  ServiceHarness(ServiceSettings settings, MutableClock clock) {
    this(settings, clock, new CoveragePairSelector());
  }

  /** With a pair selector of the test's choosing (e.g. one that fails, to see how a bug is contained). */
  ServiceHarness(ServiceSettings settings, MutableClock clock, org.cjassessment.core.pairs.PairSelector selector) {
    this.settings = settings;
    this.clock = clock;
    TestDatabase db = SharedInfrastructure.freshDatabase();
    dataSource = Database.pool(db.jdbcUrl(), db.username(), db.password(), 20);
    ServiceSchema.migrate(dataSource);
    jdbi = Database.jdbi(dataSource);
    JdbiOutboxStore outbox = new JdbiOutboxStore();
    EventFactory events = new EventFactory(settings);
    WaveDispatcher waves = new WaveDispatcher(store, comparisons, selector, events, outbox, settings);
    Finalizer finalizer = new Finalizer(store, comparisons, events, outbox, settings);
    advancer = new BatchAdvancer(jdbi, store, comparisons, waves, finalizer, settings, clock,
        new BatchAdvancer.Listener() {});
    intake = new BatchIntake(jdbi, store, advancer, settings, clock);
    ingestor = new CallbackIngestor(jdbi, store, comparisons, clock);
    monitor = new BatchMonitor(jdbi, store, comparisons, advancer, settings, clock);
    views = new BatchViews(jdbi, store, comparisons);
  }

  ServiceHarness() {
    this(ServiceSettings.defaults());
  }

  /** A batch of {@code students} essays s00.. (plus anchors a0.. with grades) and the given budget. */
  long submit(String batchId, int students, Map<String, String> anchors, int budget) {
    List<EssayInput> essays = new ArrayList<>();
    for (int i = 0; i < students; i++) {
      essays.add(EssayInput.student(String.format("s%02d", i), "Essay text number " + i + " about a topic."));
    }
    anchors.forEach((id, grade) -> essays.add(EssayInput.anchor(id, "Anchor text " + id, grade)));
    return intake.submit(new BatchRequest(batchId, "evt-" + batchId, UUID.randomUUID(), essays, "swedish_8_anchor",
        budget, "user-1", "org-1", "assignment-1", "ENG5", "en", null, Map.of())).jobId();
  }

  /** Pending comparisons of a batch: correlation id, first essay, second essay. */
  List<String[]> pending(long jobId) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT correlation_id::text, essay_a, essay_b FROM comparisons
            WHERE batch_id = :id AND status = 'PENDING' ORDER BY id
            """).bind("id", jobId)
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}).list());
  }

  /** The judge: a logistic model on the essay number (s07 beats s02 more often than not), seeded. */
  static boolean firstWins(String first, String second, Random random) {
    double a = ability(first);
    double b = ability(second);
    return random.nextDouble() < 1 / (1 + Math.exp(-(a - b)));
  }

  private static double ability(String id) {
    return id.startsWith("a") ? 0.5 * (id.charAt(1) - '0') - 1 : 0.25 * Integer.parseInt(id.substring(1)) - 1.5;
  }

  /** The bytes of an upstream LLMComparisonResultV1 envelope. */
  static byte[] callback(String eventId, String correlationId, boolean firstWon) {
    String json = """
        {"event_id":"%s","event_type":"huleedu.llm_provider.comparison_result.v1",
         "event_timestamp":"%s","source_service":"llm_provider_service","schema_version":1,
         "correlation_id":"%s","data_schema_uri":null,"metadata":{},
         "data":{"request_id":"q-%s","correlation_id":"%s","winner":"%s","justification":"clearer argument",
                 "confidence":4.0,"provider":"mock","model":"judge-1","response_time_ms":12,
                 "token_usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120},
                 "cost_estimate":0.001,"requested_at":"%s","completed_at":"%s","request_metadata":{}}}
        """.formatted(eventId, Instant.now(), UUID.randomUUID(), eventId, correlationId,
        firstWon ? "Essay A" : "Essay B", Instant.now(), Instant.now());
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] errorCallback(String eventId, String correlationId) {
    String json = """
        {"event_id":"%s","event_type":"huleedu.llm_provider.comparison_result.v1",
         "event_timestamp":"%s","source_service":"llm_provider_service","schema_version":1,
         "correlation_id":"%s","metadata":{},
         "data":{"request_id":"q-%s","correlation_id":"%s","winner":null,
                 "error_detail":{"error_code":"RATE_LIMIT","message":"slow down"},
                 "provider":"mock","model":"judge-1","response_time_ms":5,"cost_estimate":0.0}}
        """.formatted(eventId, Instant.now(), UUID.randomUUID(), eventId, correlationId);
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** Answers every pending comparison of the batch once (without advancing); returns the callbacks sent. */
  List<byte[]> answerPending(long jobId, Random random) {
    List<byte[]> sent = new ArrayList<>();
    for (String[] p : pending(jobId)) {
      sent.add(callback(UUID.randomUUID().toString(), p[0], firstWins(p[1], p[2], random)));
    }
    ingestor.ingest(sent);
    return sent;
  }

  /** Outbox rows of a batch's events by type, (batch-level events are keyed by the job or upstream id). */
  int outboxRows(String eventType, String aggregateId) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT count(*) FROM outbox WHERE event_type = :t AND aggregate_id = :a
            """).bind("t", eventType).bind("a", aggregateId).mapTo(Integer.class).one());
  }

  String state(long jobId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT state FROM batches WHERE id = :id").bind("id", jobId)
        .mapTo(String.class).one());
  }

  /** An outbox row as the relay would publish it. */
  record OutboxEvent(long id, String eventType, String aggregateId, byte[] payload) {}

  /** Every event this harness's service wrote to the outbox, in publication order. */
  List<OutboxEvent> outboxEvents() {
    return jdbi.withHandle(h -> h.createQuery("SELECT id, event_type, aggregate_id, payload FROM outbox ORDER BY id")
        .map((rs, ctx) -> new OutboxEvent(rs.getLong("id"), rs.getString("event_type"), rs.getString("aggregate_id"),
            rs.getBytes("payload")))
        .list());
  }

  /** Closes the pool after checking every event the test produced against its contract (contracts/). */
  @Override
  public void close() {
    try {
      EventContracts.assertValid(outboxEvents());
    } finally {
      dataSource.close();
    }
  }
}
