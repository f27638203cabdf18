package org.cjassessment.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;

/** A fresh database with the outbox installed, plus helpers to append, inspect rows and build relays. */
final class OutboxFixture {

  final TestDatabase database;
  final DataSource dataSource;
  final Jdbi jdbi;
  final JdbiOutboxStore store = new JdbiOutboxStore();
  final OutboxAdmin admin;

  private OutboxFixture(TestDatabase database) {
    this.database = database;
    this.dataSource = database.dataSource();
    OutboxSchema.migrate(dataSource);
    this.jdbi = Jdbi.create(dataSource);
    this.admin = new OutboxAdmin(dataSource);
  }

  static OutboxFixture create() {
    return new OutboxFixture(SharedInfrastructure.freshDatabase());
  }

  /** Appends in a transaction of its own and commits. */
  boolean append(OutboxMessage message) {
    return jdbi.inTransaction(h -> store.append(h, message));
  }

  static OutboxMessage message(String topic, String key, String text) {
    return message(topic, key, text.getBytes(UTF_8));
  }

  static OutboxMessage message(String topic, String key, byte[] payload) {
    UUID eventId = UUID.randomUUID();
    return OutboxMessage.builder()
        .eventId(eventId)
        .aggregate("cj_batch", key)
        .eventType("huleedu.cj_assessment.completed.v1")
        .topic(topic)
        .key(key)
        .correlationId("corr-" + eventId)
        .payload(payload)
        .sourceService("cj_assessment_service")
        .schemaVersion("1")
        .contentType("application/json")
        .build();
  }

  /** One row as the relay left it. */
  record Row(
      long id,
      UUID eventId,
      OutboxStatus status,
      int attempts,
      Instant nextAttemptAt,
      Instant lastAttemptAt,
      String lastError,
      Instant publishedAt) {

    Duration backoff() {
      return Duration.between(lastAttemptAt, nextAttemptAt);
    }
  }

  Row row(UUID eventId) {
    return jdbi.withHandle(
        h -> h.createQuery(
            """
                SELECT id, event_id, status, attempts, next_attempt_at, last_attempt_at, last_error, published_at
                  FROM outbox WHERE event_id = :eventId
                """)
            .bind("eventId", eventId)
            .map((rs, ctx) -> row(rs))
            .one());
  }

  /**
   * Records every change of {@code attempts} in a table of its own (a trigger on the real table), so a test can see
   * each failed attempt and its backoff even when the relay moves faster than a poll.
   */
  OutboxFixture logAttempts() {
    execute(
        """
        CREATE TABLE attempt_log AS SELECT * FROM outbox WITH NO DATA;
        CREATE FUNCTION log_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN INSERT INTO attempt_log SELECT NEW.*; RETURN NULL; END $$;
        CREATE TRIGGER log_attempt AFTER UPDATE ON outbox
          FOR EACH ROW WHEN (NEW.attempts IS DISTINCT FROM OLD.attempts) EXECUTE FUNCTION log_attempt();
        """);
    return this;
  }

  List<Row> attemptLog(UUID eventId) {
    return jdbi.withHandle(h -> h.createQuery(
        """
            SELECT id, event_id, status, attempts, next_attempt_at, last_attempt_at, last_error, published_at
              FROM attempt_log WHERE event_id = :eventId ORDER BY attempts
            """)
        .bind("eventId", eventId)
        .map((rs, ctx) -> row(rs))
        .list());
  }

  OutboxStatus status(UUID eventId) {
    return row(eventId).status();
  }

  long rowCount() {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM outbox").mapTo(Long.class).one());
  }

  boolean allPublished(List<OutboxMessage> messages) {
    return messages.stream().allMatch(m -> status(m.eventId()) == OutboxStatus.PUBLISHED);
  }

  void execute(String sql) {
    jdbi.useHandle(h -> h.execute(sql));
  }

  /** A relay with test-sized timings: fast backoff, short poll fallback. */
  OutboxRelay.Builder relay(Producer<byte[], byte[]> producer) {
    return OutboxRelay.builder()
        .name("test-relay")
        .dataSource(dataSource)
        .producer(producer)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .pollInterval(Duration.ofMillis(500))
        .ackTimeout(Duration.ofSeconds(15));
  }

  static KafkaProducer<byte[], byte[]> realProducer() {
    return realProducer(Map.of());
  }

  static KafkaProducer<byte[], byte[]> realProducer(Map<String, Object> overrides) {
    Map<String, Object> properties = OutboxRelay.producerProperties(SharedInfrastructure.bootstrapServers());
    properties.putAll(overrides);
    return new KafkaProducer<>(properties);
  }

  private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Row(
        rs.getLong("id"),
        rs.getObject("event_id", UUID.class),
        OutboxStatus.valueOf(rs.getString("status")),
        rs.getInt("attempts"),
        instant(rs.getObject("next_attempt_at", OffsetDateTime.class)),
        instant(rs.getObject("last_attempt_at", OffsetDateTime.class)),
        rs.getString("last_error"),
        instant(rs.getObject("published_at", OffsetDateTime.class)));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
