package org.cjassessment.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * The operator's view of the outbox: dead rows, re-driving them, counts by status, retention.
 * (The {@code cj outbox dead|retry} commands sit on top of this.)
 */
public final class OutboxAdmin {

  private static final String DEAD =
      """
      SELECT id, event_id, event_type, topic, message_key, attempts, last_error, created_at, last_attempt_at
        FROM outbox
       WHERE status = 'DEAD'
       ORDER BY id
       LIMIT :limit
      """;

  // Back to the start of the retry ladder, due now; last_error is kept until it is published. The NOTIFY wakes
  // a relay in any process once this commits.
  private static final String RETRY =
      """
      WITH retried AS (
        UPDATE outbox
           SET status = 'PENDING', attempts = 0, next_attempt_at = NULL
         WHERE id = :id AND status = 'DEAD'
        RETURNING id)
      SELECT id, pg_notify('%s', '') IS NULL AS notified FROM retried
      """
          .formatted(OutboxSchema.CHANNEL);

  // Every DEAD row in one statement (all or none, one NOTIFY): after an incident, or after fixing what refused them.
  private static final String RETRY_ALL =
      """
      WITH retried AS (
        UPDATE outbox
           SET status = 'PENDING', attempts = 0, next_attempt_at = NULL
         WHERE status = 'DEAD'
        RETURNING id)
      SELECT count(*), pg_notify('%s', '') IS NULL AS notified FROM retried
      """
          .formatted(OutboxSchema.CHANNEL);

  private static final String COUNTS = "SELECT status, count(*) FROM outbox GROUP BY status";

  private final Jdbi jdbi;

  public OutboxAdmin(DataSource dataSource) {
    this.jdbi = Jdbi.create(Objects.requireNonNull(dataSource, "dataSource"));
    jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
  }

  /** DEAD rows, oldest first, at most {@code limit}. */
  public List<DeadMessage> dead(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit = " + limit + " must be at least 1");
    }
    return jdbi.withHandle(
        h -> h.createQuery(DEAD).bind("limit", limit).map((rs, ctx) -> deadMessage(rs)).list());
  }

  /**
   * Re-drives a DEAD row: PENDING again, attempts reset, due now.
   *
   * @return {@code false} if there is no DEAD row with this id (unknown, pending or already published)
   */
  public boolean retry(long id) {
    return jdbi.inTransaction(h -> h.createQuery(RETRY).bind("id", id).mapTo(Long.class).findOne().isPresent());
  }

  /** Re-drives every DEAD row as {@link #retry} does one; returns how many there were. */
  public int retryAll() {
    return jdbi.inTransaction(h -> h.createQuery(RETRY_ALL).mapTo(Integer.class).one());
  }

  /** Rows per status; every status is present (zero if none). */
  public Map<OutboxStatus, Long> counts() {
    Map<OutboxStatus, Long> counts = new EnumMap<>(OutboxStatus.class);
    for (OutboxStatus status : OutboxStatus.values()) {
      counts.put(status, 0L);
    }
    jdbi.useHandle(
        h -> h.createQuery(COUNTS)
            .map((rs, ctx) -> Map.entry(OutboxStatus.valueOf(rs.getString(1)), rs.getLong(2)))
            .forEach(e -> counts.put(e.getKey(), e.getValue())));
    return counts;
  }

  /**
   * Deletes up to {@code limit} PUBLISHED rows published before {@code cutoff}, in one short transaction. PENDING
   * and DEAD rows are never deleted. Call repeatedly until it returns less than {@code limit}.
   */
  public int deletePublishedBefore(Instant cutoff, int limit) {
    return jdbi.withHandle(h -> RelayQueries.deletePublishedBefore(h, cutoff, limit));
  }

  private static DeadMessage deadMessage(ResultSet rs) throws SQLException {
    OffsetDateTime lastAttempt = rs.getObject("last_attempt_at", OffsetDateTime.class);
    return new DeadMessage(
        rs.getLong("id"),
        rs.getObject("event_id", UUID.class),
        rs.getString("event_type"),
        rs.getString("topic"),
        rs.getString("message_key"),
        rs.getInt("attempts"),
        rs.getString("last_error"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        lastAttempt == null ? null : lastAttempt.toInstant());
  }
}
