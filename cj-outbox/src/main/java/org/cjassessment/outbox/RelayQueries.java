package org.cjassessment.outbox;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The relay's SQL, in one place. Every statement runs on the relay's own handle. */
final class RelayQueries {

  private static final String COLUMNS =
      """
      SELECT o.id, o.event_id, o.event_type, o.topic, o.message_key, o.correlation_id, o.payload, o.attempts,
             o.created_at,
             ARRAY(SELECT ARRAY[h.key, h.value] FROM jsonb_each_text(o.headers) AS h) AS header_pairs,
             EXISTS (SELECT 1
                       FROM outbox later
                      WHERE later.status = 'PENDING'
                        AND later.topic = o.topic
                        AND later.message_key = o.message_key
                        AND later.id > o.id) AS has_successor
        FROM outbox o
      """.stripTrailing();

  /**
   * Due PENDING rows in id order, locked for this round. Two rules keep per-key order:
   * <ul>
   *   <li>{@code NOT EXISTS}: a row is claimable only if no older row with the same topic and key is still PENDING,
   *       whether that row waits for a retry, is locked by another relay, or is in this very claim. So a round holds
   *       at most one row per key, and the next row of a key is claimed only after the previous one committed as
   *       PUBLISHED (or DEAD).
   *   <li>{@code SKIP LOCKED}: rows another relay holds are passed over, never waited for.
   * </ul>
   * The walk is bounded by a window of the oldest PENDING rows ({@code :beyondWindow} is the first id past it): a
   * key with a deep backlog would otherwise make every claim probe its whole backlog looking for more heads.
   */
  static final String CLAIM =
      """
      %s
       WHERE o.status = 'PENDING'
         AND o.id < :beyondWindow
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
      """
          .formatted(COLUMNS);

  /**
   * Starts a claim: the planner settings (see {@link #claim}) and the first PENDING id past the window, NULL if the
   * whole backlog fits in it. One round trip.
   */
  static final String START_CLAIM =
      """
      SELECT set_config('plan_cache_mode', 'force_custom_plan', true) AS plan_cache_mode,
             set_config('enable_sort', 'off', true) AS enable_sort,
             set_config('enable_hashjoin', 'off', true) AS enable_hashjoin,
             set_config('enable_mergejoin', 'off', true) AS enable_mergejoin,
             (SELECT id FROM outbox WHERE status = 'PENDING' ORDER BY id OFFSET :window LIMIT 1) AS beyond_window
      """;

  /**
   * The oldest PENDING row of every (topic, key) past the window, found by skipping from key to key through the
   * per-key index (a loose index scan: one probe per key, however deep each key's backlog). Only needed when the
   * window did not yield a full round, e.g. when it is filled by one key's backlog or by keys waiting for retries.
   */
  static final String HEADS_BEYOND_WINDOW =
      """
      WITH RECURSIVE heads AS (
          (SELECT topic, message_key, id, next_attempt_at
             FROM outbox
            WHERE status = 'PENDING'
            ORDER BY topic, message_key, id
            LIMIT 1)
        UNION ALL
          SELECT following.topic, following.message_key, following.id, following.next_attempt_at
            FROM heads
            CROSS JOIN LATERAL (
              SELECT topic, message_key, id, next_attempt_at
                FROM outbox
               WHERE status = 'PENDING'
                 AND (topic, message_key) > (heads.topic, heads.message_key)
               ORDER BY topic, message_key, id
               LIMIT 1) AS following)
      SELECT id
        FROM heads
       WHERE id >= :beyondWindow
         AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
       ORDER BY id
       LIMIT :limit
      """;

  /** Locks heads found by {@link #HEADS_BEYOND_WINDOW}, re-checking the claim rules at this statement's snapshot. */
  private static final String CLAIM_IDS =
      """
      %s
       WHERE o.id = ANY(CAST(:ids AS bigint[]))
         AND o.status = 'PENDING'
         AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= :now)
         AND NOT EXISTS (SELECT 1
                           FROM outbox earlier
                          WHERE earlier.status = 'PENDING'
                            AND earlier.topic = o.topic
                            AND earlier.message_key = o.message_key
                            AND earlier.id < o.id)
         FOR UPDATE OF o SKIP LOCKED
      """
          .formatted(COLUMNS);

  // A published row's send markers go in the same transaction: outbox_sends only ever holds unsettled sends.
  private static final String MARK_PUBLISHED =
      """
      WITH settled AS (DELETE FROM outbox_sends WHERE outbox_id = ANY(CAST(:ids AS bigint[])))
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

  /**
   * Records that these claimed rows are about to be sent and returns what was recorded about their earlier sends, in
   * one statement (the CTE reads the table as it was before the upsert). Runs on a connection of its own and commits
   * before the send: the claim's transaction may never commit (see {@code V2__outbox_sends.sql}). A send still
   * {@code in_flight} (its outcome never recorded, started less than {@code :grace} ago) is left as it is: that row
   * is not sent in this round, and its grace must run from the send that may still be on its way.
   *
   * <p>{@code set_config(..., true)} is {@code SET LOCAL}: this statement's own (implicit) transaction commits without
   * waiting for the WAL flush ({@link SendLog} says why that is enough), and the connection's session is left as it
   * was — a pooled connection must not carry asynchronous commits back to the service's business transactions. It
   * sits in the INSERT's WHERE so that it is evaluated (a data-modifying CTE always runs; a volatile function is
   * evaluated per row, and there is at least one).
   */
  private static final String BEGIN_SENDS =
      """
      WITH previous AS (
          SELECT outbox_id, first_sent_at, extract(epoch FROM now() - last_sent_at) AS since_last_send,
                 sent_at_attempts
            FROM outbox_sends
           WHERE outbox_id = ANY(CAST(:ids AS bigint[]))),
        recorded AS (
          INSERT INTO outbox_sends (outbox_id, sent_at_attempts)
          SELECT sent.id, sent.attempts
            FROM unnest(CAST(:ids AS bigint[]), CAST(:attempts AS integer[])) AS sent (id, attempts)
           WHERE set_config('synchronous_commit', 'off', true) IS NOT NULL
              ON CONFLICT (outbox_id) DO UPDATE
             SET last_sent_at = clock_timestamp(), sent_at_attempts = EXCLUDED.sent_at_attempts,
                 sends = outbox_sends.sends + 1
           WHERE NOT (outbox_sends.sent_at_attempts >= EXCLUDED.sent_at_attempts
                      AND now() - outbox_sends.last_sent_at < CAST(:grace AS interval)))
      SELECT outbox_id, first_sent_at, since_last_send, sent_at_attempts FROM previous
      """;

  /** Puts a claimed row back for later without counting an attempt (its earlier send may still be in flight). */
  private static final String DEFER =
      """
      UPDATE outbox SET next_attempt_at = :due WHERE id = :id AND status = 'PENDING'
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

  // SKIP LOCKED: never wait for (or on) another relay running retention at the same moment.
  private static final String DELETE_PUBLISHED_BATCH =
      """
      DELETE FROM outbox
       WHERE id IN (SELECT id FROM outbox
                     WHERE status = 'PUBLISHED' AND published_at < :cutoff
                     ORDER BY published_at
                     LIMIT :limit
                     FOR UPDATE SKIP LOCKED)
      """;

  private static final String CHECK_TABLE = "SELECT 1 FROM outbox LIMIT 0";

  private RelayQueries() {}

  /**
   * Claims up to {@code limit} rows: the window walk ({@link #CLAIM}) over the oldest {@code window} PENDING rows,
   * then, if that left room and the backlog is longer than the window, the heads of keys past it.
   *
   * <p>Planner settings, local to the transaction. The walk must go through the PENDING index in id order, probe the
   * per-key index with each row's topic and key, and stop early. A queue table outruns autovacuum's statistics
   * (one-minute naptime), and two plans the planner liked were quadratic: a plan cached while the table was small
   * (the driver prepares a statement on its fifth execution) scanned the whole per-key index for every candidate
   * row (800 ms per claim with 5000 rows pending; the benchmark's burst fell minutes behind); and with statistics
   * from a quiet moment it read, checked and sorted the whole backlog before the LIMIT. So every claim is planned
   * with the current table and index sizes (about a millisecond), with no sort, hash join or merge join to choose:
   * what remains is the nested loop over the two partial indexes, 1-3 ms per claim.
   */
  static List<ClaimedRow> claim(Handle tx, Instant now, int limit, int window) {
    long beyondWindow =
        tx.createQuery(START_CLAIM)
            .bind("window", window)
            .map((rs, ctx) -> {
              long id = rs.getLong("beyond_window");
              return rs.wasNull() ? Long.MAX_VALUE : id;
            })
            .one();
    List<ClaimedRow> rows = new ArrayList<>(
        tx.createQuery(CLAIM)
            .bind("now", timestamp(now))
            .bind("beyondWindow", beyondWindow)
            .bind("limit", limit)
            .map((rs, ctx) -> claimedRow(rs))
            .list());
    if (beyondWindow != Long.MAX_VALUE && rows.size() < limit) {
      List<Long> heads =
          tx.createQuery(HEADS_BEYOND_WINDOW)
              .bind("beyondWindow", beyondWindow)
              .bind("now", timestamp(now))
              .bind("limit", limit - rows.size())
              .mapTo(Long.class)
              .list();
      if (!heads.isEmpty()) {
        rows.addAll(
            tx.createQuery(CLAIM_IDS)
                .bindArray("ids", Long.class, heads)
                .bind("now", timestamp(now))
                .map((rs, ctx) -> claimedRow(rs))
                .list());
        rows.sort(Comparator.comparingLong(ClaimedRow::id));
      }
    }
    return rows;
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

  /**
   * {@link #BEGIN_SENDS}: the rows again, each with what {@code outbox_sends} knew about its earlier sends (null
   * previous send if none).
   */
  static List<ClaimedRow> beginSends(Handle autoCommit, List<ClaimedRow> rows, Duration grace) {
    Map<Long, ClaimedRow> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.id(), r));
    Map<Long, ClaimedRow.PreviousSend> previous = new HashMap<>();
    autoCommit.createQuery(BEGIN_SENDS)
        .bindArray("ids", Long.class, rows.stream().map(ClaimedRow::id).toList())
        .bindArray("attempts", Integer.class, rows.stream().map(ClaimedRow::attempts).toList())
        .bind("grace", grace.toMillis() + " milliseconds")
        .map((rs, ctx) -> {
          long id = rs.getLong("outbox_id");
          // a send whose failure a relay recorded raised attempts past the value it was sent at
          boolean recorded = rs.getInt("sent_at_attempts") < byId.get(id).attempts();
          Duration since = Duration.ofNanos(Math.round(rs.getDouble("since_last_send") * 1e9));
          return previous.put(id, new ClaimedRow.PreviousSend(
              rs.getObject("first_sent_at", OffsetDateTime.class).toInstant(), since, recorded,
              !recorded && since.compareTo(grace) < 0));
        })
        .list();
    return previous.isEmpty() ? rows : rows.stream().map(r -> r.withPreviousSend(previous.get(r.id()))).toList();
  }

  static int defer(Handle tx, long id, Instant due) {
    return tx.createUpdate(DEFER).bind("id", id).bind("due", timestamp(due)).execute();
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

  /** Retention: deletes up to {@code limit} PUBLISHED rows published before {@code cutoff}; PENDING and DEAD stay. */
  static int deletePublishedBefore(Handle handle, Instant cutoff, int limit) {
    return handle
        .createUpdate(DELETE_PUBLISHED_BATCH)
        .bind("cutoff", timestamp(cutoff))
        .bind("limit", limit)
        .execute();
  }

  static void checkTable(Handle handle) {
    handle.createQuery(CHECK_TABLE).mapTo(Integer.class).list();
  }

  static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static ClaimedRow claimedRow(ResultSet rs) throws SQLException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Object pair : elements(rs.getArray("header_pairs"))) {
      String[] nameAndValue = (String[]) pair;
      headers.put(nameAndValue[0], nameAndValue[1]);
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
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getBoolean("has_successor"),
        null);
  }

  /** A two-dimensional text array (one [name, value] pair per header); empty as a plain empty array. */
  private static Object[] elements(Array array) throws SQLException {
    try {
      return (Object[]) array.getArray();
    } finally {
      array.free();
    }
  }
}
