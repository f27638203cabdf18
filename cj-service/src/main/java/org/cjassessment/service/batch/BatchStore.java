package org.cjassessment.service.batch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.cjassessment.core.batch.BatchState;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.pairs.Pair;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for batches, essays and comparisons. Every method runs in the caller's transaction. */
public final class BatchStore {

  private static final String BATCH_COLUMNS = """
      id, upstream_batch_id, correlation_id, state, outcome, failure_reason, failure_detail, grade_scale, budget,
      wave, submitted, judged, errored, duplicate_callbacks, late_callbacks, redispatches, last_scores::text AS last_scores,
      last_score_change, user_id, org_id, assignment_id, course_code, language, request::text AS request, created_at,
      last_activity_at, completed_at, public_id, client_id""";

  /**
   * Inserts the batch unless the client already has one with this upstream batch id; returns the new id, or empty
   * when it exists. A concurrent insert of the same id waits on the unique constraint until the other transaction
   * ends, then gets empty (the other committed) or inserts (it rolled back): one batch either way.
   *
   * @param now the service clock's time: {@code created_at} feeds the events' {@code started_at} and durations, so
   *     it must come from the same clock as their end time, not from the database's
   */
  public Optional<Long> insertBatch(Handle h, String clientId, BatchRequest r, int budget, String fingerprint,
      String requestJson, Instant now) {
    return h.createQuery("""
            INSERT INTO batches (client_id, public_id, upstream_batch_id, request_event_id, request_fingerprint,
                                 correlation_id, grade_scale, budget, user_id, org_id, assignment_id, course_code,
                                 language, request, created_at, last_activity_at)
            VALUES (:clientId, :publicId, :upstream, :requestEventId, :fingerprint, :correlationId, :scale, :budget,
                    :userId, :orgId, :assignmentId, :courseCode, :language, CAST(:request AS jsonb), :now, :now)
            ON CONFLICT ON CONSTRAINT batches_one_per_upstream_batch DO NOTHING
            RETURNING id
            """)
        .bind("now", now)
        .bind("clientId", clientId)
        .bind("publicId", UUID.randomUUID()) // SecureRandom: a job id cannot be guessed from another
        .bind("upstream", r.upstreamBatchId())
        .bind("requestEventId", r.requestEventId())
        .bind("fingerprint", fingerprint)
        .bind("correlationId", r.correlationId())
        .bind("scale", r.gradeScale())
        .bind("budget", budget)
        .bind("userId", r.userId())
        .bind("orgId", r.orgId())
        .bind("assignmentId", r.assignmentId())
        .bind("courseCode", r.courseCode())
        .bind("language", r.language())
        .bind("request", requestJson)
        .mapTo(Long.class)
        .findOne();
  }

  /** The batch a client already has for an upstream batch id: its ids and the fingerprint of its request. */
  public record ExistingBatch(long id, UUID publicId, String fingerprint) {}

  public Optional<ExistingBatch> findByUpstream(Handle h, String clientId, String upstreamBatchId) {
    return h.createQuery("""
            SELECT id, public_id, request_fingerprint FROM batches
            WHERE client_id = :c AND upstream_batch_id = :u
            """)
        .bind("c", clientId)
        .bind("u", upstreamBatchId)
        .map((rs, ctx) -> new ExistingBatch(rs.getLong("id"), rs.getObject("public_id", UUID.class),
            rs.getString("request_fingerprint")))
        .findOne();
  }

  /** The internal id of a client's batch by its public job id; empty when unknown or another client's. */
  public Optional<Long> findOwned(Handle h, UUID publicId, String clientId) {
    return h.createQuery("SELECT id FROM batches WHERE public_id = :p AND client_id = :c")
        .bind("p", publicId)
        .bind("c", clientId)
        .mapTo(Long.class)
        .findOne();
  }

  public void insertEssays(Handle h, long batchId, List<EssayInput> essays) {
    var batch = h.prepareBatch("""
        INSERT INTO essays (batch_id, essay_id, is_anchor, anchor_grade, text, storage_id)
        VALUES (:batchId, :essayId, :isAnchor, :grade, :text, :storageId)
        """);
    for (EssayInput e : essays) {
      batch.bind("batchId", batchId).bind("essayId", e.essayId()).bind("isAnchor", e.isAnchor())
          .bind("grade", e.anchorGrade()).bind("text", e.text()).bind("storageId", e.storageId()).add();
    }
    if (!essays.isEmpty()) {
      batch.execute();
    }
  }

  /** The batch row under a row lock: every decision about a batch is taken holding it. */
  public Optional<BatchRow> lock(Handle h, long batchId) {
    return h.createQuery("SELECT " + BATCH_COLUMNS + " FROM batches WHERE id = :id FOR UPDATE")
        .bind("id", batchId)
        .map(BatchStore::batch)
        .findOne();
  }

  public Optional<BatchRow> find(Handle h, long batchId) {
    return h.createQuery("SELECT " + BATCH_COLUMNS + " FROM batches WHERE id = :id")
        .bind("id", batchId)
        .map(BatchStore::batch)
        .findOne();
  }

  public List<EssayRow> essays(Handle h, long batchId) {
    return h.createQuery("""
            SELECT essay_id, is_anchor, anchor_grade, score, se, rank, comparisons, wins, infit, outfit
            FROM essays WHERE batch_id = :id ORDER BY essay_id
            """)
        .bind("id", batchId)
        .map((rs, ctx) -> new EssayRow(rs.getString("essay_id"), rs.getBoolean("is_anchor"),
            rs.getString("anchor_grade"), (Double) rs.getObject("score"), (Double) rs.getObject("se"),
            (Integer) rs.getObject("rank"), rs.getInt("comparisons"), rs.getInt("wins"),
            (Double) rs.getObject("infit"), (Double) rs.getObject("outfit")))
        .list();
  }

  /** {students, all essays}. */
  public int[] essayCounts(Handle h, long batchId) {
    return h.createQuery("""
            SELECT count(*) FILTER (WHERE NOT is_anchor) AS students, count(*) AS essays
            FROM essays WHERE batch_id = :id
            """)
        .bind("id", batchId)
        .map((rs, ctx) -> new int[] {rs.getInt("students"), rs.getInt("essays")})
        .one();
  }

  /** The texts of the given essays of a batch, in one query: essay id → text. */
  public Map<String, String> essayTexts(Handle h, long batchId, Collection<String> essayIds) {
    Map<String, String> texts = new HashMap<>();
    h.createQuery("SELECT essay_id, text FROM essays WHERE batch_id = :b AND essay_id = ANY(:ids)")
        .bind("b", batchId)
        .bindArray("ids", String.class, List.copyOf(essayIds))
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> texts.put(e.getKey(), e.getValue()));
    return texts;
  }

  /** Judged comparisons in request order: the data of the fit. */
  public List<Comparison> judged(Handle h, long batchId) {
    return h.createQuery("""
            SELECT essay_a, essay_b, winner, model FROM comparisons
            WHERE batch_id = :id AND status = 'JUDGED' ORDER BY id
            """)
        .bind("id", batchId)
        .map((rs, ctx) -> {
          String a = rs.getString("essay_a");
          String b = rs.getString("essay_b");
          String winner = rs.getString("winner");
          return new Comparison(winner, winner.equals(a) ? b : a, a, rs.getString("model"));
        })
        .list();
  }

  /** Every pair requested so far (answered or not), in request order: the pair selector's history. */
  public List<Pair> requestedPairs(Handle h, long batchId) {
    return h.createQuery("SELECT essay_a, essay_b FROM comparisons WHERE batch_id = :id ORDER BY id")
        .bind("id", batchId)
        .map((rs, ctx) -> new Pair(rs.getString("essay_a"), rs.getString("essay_b")))
        .list();
  }

  public List<String> essayIds(Handle h, long batchId) {
    return h.createQuery("SELECT essay_id FROM essays WHERE batch_id = :id ORDER BY essay_id")
        .bind("id", batchId).mapTo(String.class).list();
  }

  public UUID insertComparison(Handle h, long batchId, int wave, Pair pair) {
    UUID correlationId = UUID.randomUUID();
    h.createUpdate("""
            INSERT INTO comparisons (batch_id, correlation_id, wave, essay_a, essay_b)
            VALUES (:batchId, :correlationId, :wave, :a, :b)
            """)
        .bind("batchId", batchId).bind("correlationId", correlationId).bind("wave", wave)
        .bind("a", pair.first()).bind("b", pair.second())
        .execute();
    return correlationId;
  }

  /** Pending comparisons of a batch (for re-dispatch): id, correlation id, wave, pair, dispatch count. */
  public List<PendingComparison> pending(Handle h, long batchId) {
    return h.createQuery("""
            SELECT correlation_id, wave, essay_a, essay_b, dispatches FROM comparisons
            WHERE batch_id = :id AND status = 'PENDING' ORDER BY id
            """)
        .bind("id", batchId)
        .map((rs, ctx) -> new PendingComparison(rs.getObject("correlation_id", UUID.class), rs.getInt("wave"),
            new Pair(rs.getString("essay_a"), rs.getString("essay_b")), rs.getInt("dispatches")))
        .list();
  }

  public record PendingComparison(UUID correlationId, int wave, Pair pair, int dispatches) {}

  public void markRedispatched(Handle h, long batchId, Instant now) {
    h.createUpdate("""
            UPDATE comparisons SET dispatches = dispatches + 1 WHERE batch_id = :id AND status = 'PENDING'
            """).bind("id", batchId).execute();
    h.createUpdate("""
            UPDATE batches SET redispatches = redispatches + 1, last_activity_at = :now WHERE id = :id
            """).bind("id", batchId).bind("now", now).execute();
  }

  public void recordWave(Handle h, long batchId, int wave, int pairs, String scoresJson, Double change,
      Instant now) {
    h.createUpdate("""
            UPDATE batches SET state = 'COMPARING', wave = :wave, submitted = submitted + :pairs,
                   last_scores = CAST(:scores AS jsonb), last_score_change = :change, last_activity_at = :now
            WHERE id = :id
            """)
        .bind("id", batchId).bind("wave", wave).bind("pairs", pairs).bind("scores", scoresJson)
        .bind("change", change).bind("now", now)
        .execute();
  }

  public void complete(Handle h, long batchId, String outcome, String trigger, Instant at) {
    int updated = h.createUpdate("""
            UPDATE batches SET state = 'COMPLETED', outcome = :outcome, trigger_of_end = :trigger,
                   completed_at = :at, last_activity_at = :at
            WHERE id = :id AND state IN ('RECEIVED', 'COMPARING')
            """)
        .bind("id", batchId).bind("outcome", outcome).bind("trigger", trigger).bind("at", at)
        .execute();
    requireOne(updated, batchId, "complete");
  }

  public void fail(Handle h, long batchId, String reason, String detail, String trigger, Instant at) {
    int updated = h.createUpdate("""
            UPDATE batches SET state = 'FAILED', failure_reason = :reason, failure_detail = :detail,
                   trigger_of_end = :trigger, completed_at = :at, last_activity_at = :at
            WHERE id = :id AND state IN ('RECEIVED', 'COMPARING')
            """)
        .bind("id", batchId).bind("reason", reason).bind("detail", detail).bind("trigger", trigger).bind("at", at)
        .execute();
    requireOne(updated, batchId, "fail");
  }

  /** Scores of every essay of a fit, in one statement. */
  public void saveScores(Handle h, long batchId, List<org.cjassessment.core.bt.EssayEstimate> estimates) {
    h.createUpdate("""
            UPDATE essays e SET score = v.score, se = v.se, rank = v.rank, comparisons = v.comparisons,
                   wins = v.wins, infit = v.infit, outfit = v.outfit
            FROM unnest(CAST(:ids AS text[]), CAST(:scores AS float8[]), CAST(:ses AS float8[]),
                        CAST(:ranks AS int[]), CAST(:comparisons AS int[]), CAST(:wins AS int[]),
                        CAST(:infits AS float8[]), CAST(:outfits AS float8[]))
                 AS v(id, score, se, rank, comparisons, wins, infit, outfit)
            WHERE e.batch_id = :b AND e.essay_id = v.id
            """)
        .bind("b", batchId)
        .bindArray("ids", String.class, estimates.stream().map(e -> e.essayId()).toList())
        .bindArray("scores", Double.class, estimates.stream().map(e -> e.score()).toList())
        .bindArray("ses", Double.class, estimates.stream().map(e -> boxed(e.standardError())).toList())
        .bindArray("ranks", Integer.class, estimates.stream().map(e -> e.rank()).toList())
        .bindArray("comparisons", Integer.class, estimates.stream().map(e -> e.comparisons()).toList())
        .bindArray("wins", Integer.class, estimates.stream().map(e -> e.wins()).toList())
        .bindArray("infits", Double.class, estimates.stream().map(e -> boxed(e.infit())).toList())
        .bindArray("outfits", Double.class, estimates.stream().map(e -> boxed(e.outfit())).toList())
        .execute();
  }

  static Double boxed(java.util.OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : null;
  }

  public void saveGrade(Handle h, long batchId, String essayId, String scale, String grade, double confidence,
      String label, String probabilitiesJson) {
    h.createUpdate("""
            INSERT INTO grade_projections (batch_id, essay_id, grade_scale, grade, confidence, confidence_label,
                                           probabilities)
            VALUES (:b, :e, :scale, :grade, :confidence, :label, CAST(:p AS jsonb))
            """)
        .bind("b", batchId).bind("e", essayId).bind("scale", scale).bind("grade", grade)
        .bind("confidence", confidence).bind("label", label).bind("p", probabilitiesJson)
        .execute();
  }

  /** Most frequent (provider, model) among judged comparisons, for result attribution. */
  public Optional<String[]> dominantModel(Handle h, long batchId) {
    return h.createQuery("""
            SELECT provider, model FROM comparisons WHERE batch_id = :id AND status = 'JUDGED' AND model IS NOT NULL
            GROUP BY provider, model ORDER BY count(*) DESC, provider, model LIMIT 1
            """)
        .bind("id", batchId)
        .map((rs, ctx) -> new String[] {rs.getString("provider"), rs.getString("model")})
        .findOne();
  }

  private static void requireOne(int updated, long batchId, String what) {
    if (updated != 1) {
      // Only reachable if the row lock was not held: a programming error, not a race to report politely.
      throw new IllegalStateException("could not " + what + " batch " + batchId + ": it is no longer active");
    }
  }

  static BatchRow batch(ResultSet rs, StatementContext ctx) throws SQLException {
    return new BatchRow(rs.getLong("id"), rs.getString("upstream_batch_id"),
        rs.getObject("correlation_id", UUID.class), BatchState.valueOf(rs.getString("state")),
        rs.getString("outcome"), rs.getString("failure_reason"), rs.getString("failure_detail"),
        rs.getString("grade_scale"), rs.getInt("budget"), rs.getInt("wave"), rs.getInt("submitted"),
        rs.getInt("judged"), rs.getInt("errored"), rs.getInt("duplicate_callbacks"), rs.getInt("late_callbacks"),
        rs.getInt("redispatches"), rs.getString("last_scores"), (Double) rs.getObject("last_score_change"),
        rs.getString("user_id"), rs.getString("org_id"), rs.getString("assignment_id"), rs.getString("course_code"),
        rs.getString("language"), rs.getString("request"), instant(rs, "created_at"),
        instant(rs, "last_activity_at"), instant(rs, "completed_at"), rs.getObject("public_id", UUID.class),
        rs.getString("client_id"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
