package org.cjassessment.outbox;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The relay's SQL, in one place. Every statement runs on the relay's own handle. */
final class RelayQueries {

  /**
   * Due PENDING rows in id order, locked for this round. Two rules keep per-key order:
   * <ul>
   *   <li>{@code NOT EXISTS}: a row is claimable only if no older row with the same topic and key is still PENDING,
   *       whether that row waits for a retry, is locked by another relay, or is in this very claim. So a round holds
   *       at most one row per key, and the next row of a key is claimed only after the previous one committed as
   *       PUBLISHED (or DEAD).
   *   <li>{@code SKIP LOCKED}: rows another relay holds are passed over, never waited for.
   * </ul>
   */
  private static final String CLAIM =
      """
      SELECT o.id, o.event_id, o.event_type, o.topic, o.message_key, o.correlation_id, o.payload, o.attempts,
             o.created_at,
             ARRAY(SELECT h.key FROM jsonb_each_text(o.headers) AS h ORDER BY h.key) AS header_names,
             ARRAY(SELECT h.value FROM jsonb_each_text(o.headers) AS h ORDER BY h.key) AS header_values
        FROM outbox o
       WHERE o.status = 'PENDING'
         AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= :now)
         AND NOT EXISTS (SELECT 1
                           FROM outbox earlier
                          WHERE earlier.status = 'PENDING'
                            AND earlier.topic = o.topic
                            AND earlier.message_key = o.message_key
                            AND earlier.id < o.id)
       ORDER BY o.id
       LIMIT :limit
         FOR UPDATE OF o SKIP LOCKED
      """;

  private static final String MARK_PUBLISHED =
      """
      UPDATE outbox
         SET status = 'PUBLISHED', published_at = :now, last_attempt_at = :now, next_attempt_at = NULL,
             last_error = NULL
       WHERE id = ANY(CAST(:ids AS bigint[])) AND status = 'PENDING'
      """;

  private static final String MARK_FAILED =
      """
      UPDATE outbox
         SET status = :status, attempts = :attempts, next_attempt_at = :nextAttemptAt, last_attempt_at = :now,
             last_error = :error
       WHERE id = :id AND status = 'PENDING'
      """;

  /** When the earliest row waiting for a retry becomes due: the relay sleeps until then, not a poll interval. */
  private static final String NEXT_DUE =
      """
      SELECT min(next_attempt_at) FROM outbox WHERE status = 'PENDING' AND next_attempt_at > :now
      """;

  // database clock on both sides of the subtraction (created_at is clock_timestamp() at insert)
  private static final String BACKLOG =
      """
      SELECT count(*) AS pending,
             coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0) AS oldest_age_seconds
        FROM outbox
       WHERE status = 'PENDING'
      """;

  private static final String CHECK_TABLE = "SELECT 1 FROM outbox LIMIT 0";

  private RelayQueries() {}

  static List<ClaimedRow> claim(Handle tx, Instant now, int limit) {
    return tx.createQuery(CLAIM)
        .bind("now", timestamp(now))
        .bind("limit", limit)
        .map((rs, ctx) -> claimedRow(rs))
        .list();
  }

  static int markPublished(Handle tx, List<Long> ids, Instant now) {
    return tx.createUpdate(MARK_PUBLISHED)
        .bindArray("ids", Long.class, ids)
        .bind("now", timestamp(now))
        .execute();
  }

  static int markFailed(
      Handle tx, long id, OutboxStatus status, int attempts, Instant nextAttemptAt, Instant now, String error) {
    return tx.createUpdate(MARK_FAILED)
        .bind("id", id)
        .bind("status", status.name())
        .bind("attempts", attempts)
        .bind("nextAttemptAt", nextAttemptAt == null ? null : timestamp(nextAttemptAt))
        .bind("now", timestamp(now))
        .bind("error", error)
        .execute();
  }

  static Optional<Instant> nextDue(Handle handle, Instant now) {
    return handle.createQuery(NEXT_DUE)
        .bind("now", timestamp(now))
        .map((rs, ctx) -> rs.getObject(1, OffsetDateTime.class))
        .findOne()
        .map(OffsetDateTime::toInstant);
  }

  record Backlog(long pendingRows, Duration oldestPendingAge) {}

  static Backlog backlog(Handle handle) {
    return handle.createQuery(BACKLOG)
        .map((rs, ctx) -> new Backlog(
            rs.getLong("pending"), Duration.ofNanos(Math.round(rs.getDouble("oldest_age_seconds") * 1e9))))
        .one();
  }

  static void checkTable(Handle handle) {
    handle.createQuery(CHECK_TABLE).mapTo(Integer.class).list();
  }

  static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static ClaimedRow claimedRow(ResultSet rs) throws SQLException {
    String[] names = strings(rs.getArray("header_names"));
    String[] values = strings(rs.getArray("header_values"));
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      headers.put(names[i], values[i]);
    }
    return new ClaimedRow(
        rs.getLong("id"),
        rs.getObject("event_id", UUID.class),
        rs.getString("event_type"),
        rs.getString("topic"),
        rs.getString("message_key"),
        rs.getString("correlation_id"),
        rs.getBytes("payload"),
        headers,
        rs.getInt("attempts"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  private static String[] strings(Array array) throws SQLException {
    try {
      return (String[]) array.getArray();
    } finally {
      array.free();
    }
  }
}
