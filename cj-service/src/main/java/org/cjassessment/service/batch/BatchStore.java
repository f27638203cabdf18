package org.cjassessment.service.batch;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.cjassessment.core.batch.BatchState;
import org.cjassessment.core.batch.FailureReason;
import org.cjassessment.core.batch.Outcome;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * SQL for batches, their essays and grade projections (comparisons have their own {@link ComparisonStore}). Every
 * method runs in the caller's transaction.
 */
public final class BatchStore {

  // Columns map to record components by name (snake_case to camelCase), enums by name.
  private static final RowMapper<BatchRow> BATCH = ConstructorMapper.of(BatchRow.class);
  private static final RowMapper<EssayRow> ESSAY = ConstructorMapper.of(EssayRow.class);

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

  /**
   * Serialises, until the transaction ends, everything that decides about one client's upstream batch id: intake of
   * a request and the failure event of a refused one cannot both see "no batch yet".
   */
  public void lockUpstream(Handle h, String clientId, String upstreamBatchId) {
    h.createQuery("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
        .bind("k", "cj-intake:" + clientId + ":" + upstreamBatchId)
        .mapTo(String.class)
        .one();
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
        .map(BATCH)
        .findOne();
  }

  public Optional<BatchRow> find(Handle h, long batchId) {
    return h.createQuery("SELECT " + BATCH_COLUMNS + " FROM batches WHERE id = :id")
        .bind("id", batchId)
        .map(BATCH)
        .findOne();
  }

  /**
   * Locks the given batches in id order (so that concurrent callers cannot deadlock) and returns their states.
   */
  public Map<Long, BatchState> lockAll(Handle h, Collection<Long> batchIds) {
    Map<Long, BatchState> states = new HashMap<>();
    h.createQuery("SELECT id, state FROM batches WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
        .bindArray("ids", Long.class, List.copyOf(batchIds))
        .map((rs, ctx) -> Map.entry(rs.getLong(1), BatchState.valueOf(rs.getString(2))))
        .forEach(e -> states.put(e.getKey(), e.getValue()));
    return states;
  }

  /** What a poll of callbacks did to one batch. */
  public record CallbackCounts(int judged, int errored, int duplicates, int late) {
    public boolean answeredAny() {
      return judged + errored > 0;
    }
  }

  /** Adds a poll's counts to its batches, in one statement; an answer counts as activity. */
  public void addCallbackCounts(Handle h, Map<Long, CallbackCounts> counts, Instant now) {
    List<Long> ids = List.copyOf(counts.keySet());
    h.createUpdate("""
            UPDATE batches b SET judged = b.judged + v.judged, errored = b.errored + v.errored,
                   duplicate_callbacks = b.duplicate_callbacks + v.duplicates,
                   late_callbacks = b.late_callbacks + v.late,
                   last_activity_at = CASE WHEN v.judged + v.errored > 0 THEN :now ELSE b.last_activity_at END
            FROM unnest(CAST(:ids AS bigint[]), CAST(:judged AS int[]), CAST(:errored AS int[]),
                        CAST(:duplicates AS int[]), CAST(:late AS int[])) AS v(id, judged, errored, duplicates, late)
            WHERE b.id = v.id
            """)
        .bind("now", now)
        .bindArray("ids", Long.class, ids)
        .bindArray("judged", Integer.class, ids.stream().map(id -> counts.get(id).judged()).toList())
        .bindArray("errored", Integer.class, ids.stream().map(id -> counts.get(id).errored()).toList())
        .bindArray("duplicates", Integer.class, ids.stream().map(id -> counts.get(id).duplicates()).toList())
        .bindArray("late", Integer.class, ids.stream().map(id -> counts.get(id).late()).toList())
        .execute();
  }

  /** Batches comparing whose every requested comparison is answered: they are due for advance. */
  public List<Long> waveComplete(Handle h) {
    // Intake creates a batch and moves it out of RECEIVED in one transaction, so only COMPARING needs a look.
    return h.createQuery("""
            SELECT id FROM batches WHERE state = 'COMPARING' AND submitted = judged + errored ORDER BY id
            """).mapTo(Long.class).list();
  }

  /** Those of the given batches whose wave is complete, in id order. */
  public Set<Long> waveComplete(Handle h, Collection<Long> among) {
    if (among.isEmpty()) {
      return Set.of();
    }
    return new LinkedHashSet<>(h.createQuery("""
            SELECT id FROM batches WHERE id = ANY(:ids) AND state = 'COMPARING' AND submitted = judged + errored
            ORDER BY id
            """).bindArray("ids", Long.class, List.copyOf(among)).mapTo(Long.class).list());
  }

  /** Active batches without activity since {@code before}, in id order. */
  public List<Long> inactiveSince(Handle h, Instant before) {
    return h.createQuery("""
            SELECT id FROM batches
            WHERE state IN ('RECEIVED', 'COMPARING') AND last_activity_at <= :before
            ORDER BY id
            """).bind("before", before).mapTo(Long.class).list();
  }

  public List<EssayRow> essays(Handle h, long batchId) {
    return h.createQuery("""
            SELECT essay_id, is_anchor, anchor_grade, score, se, rank, comparisons, wins, infit, outfit
            FROM essays WHERE batch_id = :id ORDER BY essay_id
            """)
        .bind("id", batchId)
        .map(ESSAY)
        .list();
  }

  /** How many essays a batch has: students, and all essays (students and anchors). */
  public record EssayCounts(int students, int essays) {
    public int anchors() {
      return essays - students;
    }
  }

  public EssayCounts essayCounts(Handle h, long batchId) {
    return h.createQuery("""
            SELECT count(*) FILTER (WHERE NOT is_anchor) AS students, count(*) AS essays
            FROM essays WHERE batch_id = :id
            """)
        .bind("id", batchId)
        .map(ConstructorMapper.of(EssayCounts.class))
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

  public List<String> essayIds(Handle h, long batchId) {
    return h.createQuery("SELECT essay_id FROM essays WHERE batch_id = :id ORDER BY essay_id")
        .bind("id", batchId).mapTo(String.class).list();
  }

  /** Counts a re-dispatch of the batch's pending comparisons (they count their own dispatches). */
  public void countRedispatch(Handle h, long batchId, Instant now) {
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

  public void complete(Handle h, long batchId, Outcome outcome, Trigger trigger, Instant at) {
    int updated = h.createUpdate("""
            UPDATE batches SET state = 'COMPLETED', outcome = :outcome, trigger_of_end = :trigger,
                   completed_at = :at, last_activity_at = :at
            WHERE id = :id AND state IN ('RECEIVED', 'COMPARING')
            """)
        .bind("id", batchId).bind("outcome", outcome).bind("trigger", trigger).bind("at", at)
        .execute();
    requireOne(updated, batchId, "complete");
  }

  public void fail(Handle h, long batchId, FailureReason reason, String detail, Trigger trigger, Instant at) {
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

  /** A stored grade projection of one student essay. */
  public record GradeRow(String essayId, String grade, double confidence, String confidenceLabel,
      Map<String, Double> probabilities) {}

  /** The grade projections of a batch, by essay id. */
  public Map<String, GradeRow> grades(Handle h, long batchId) {
    Map<String, GradeRow> grades = new HashMap<>();
    h.createQuery("""
            SELECT essay_id, grade, confidence, confidence_label, probabilities::text AS p
            FROM grade_projections WHERE batch_id = :id
            """)
        .bind("id", batchId)
        .map((rs, ctx) -> new GradeRow(rs.getString("essay_id"), rs.getString("grade"), rs.getDouble("confidence"),
            rs.getString("confidence_label"), probabilities(rs.getString("p"))))
        .forEach(g -> grades.put(g.essayId(), g));
    return grades;
  }

  private static Map<String, Double> probabilities(String json) {
    try {
      return Json.mapper().readValue(json, new TypeReference<LinkedHashMap<String, Double>>() {});
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void requireOne(int updated, long batchId, String what) {
    if (updated != 1) {
      // Only reachable if the row lock was not held: a programming error, not a race to report politely.
      throw new IllegalStateException("could not " + what + " batch " + batchId + ": it is no longer active");
    }
  }
}
