package org.cjassessment.service.batch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.pairs.Pair;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * SQL for comparisons and the late callbacks answering them: every statement on {@code comparisons} and
 * {@code late_callbacks} is here. Every method runs in the caller's transaction.
 */
public final class ComparisonStore {

  /** A comparison still waiting for its answer (re-dispatch sends its request again). */
  public record PendingComparison(UUID correlationId, int wave, Pair pair, int dispatches) {}

  /** The judge that answered a comparison, as the callback named it. */
  public record JudgeModel(String provider, String model) {}

  /** Inserts a requested comparison; returns its correlation id (the key its answer comes back with). */
  public UUID insert(Handle h, long batchId, int wave, Pair pair) {
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

  /** Tokens and estimated cost of a batch's answered comparisons. */
  public record Usage(int answered, long promptTokens, long completionTokens, double cost) {}

  /**
   * What a batch's answered comparisons used, summed over their callbacks; a comparison answered with an error
   * counts its tokens too, since they were paid for.
   */
  public Usage usage(Handle h, long batchId) {
    return h.createQuery("""
            SELECT count(*) FILTER (WHERE status <> 'PENDING') AS answered,
                   coalesce(sum(prompt_tokens), 0) AS prompt_tokens,
                   coalesce(sum(completion_tokens), 0) AS completion_tokens,
                   coalesce(sum(cost_estimate), 0) AS cost
            FROM comparisons WHERE batch_id = :id
            """)
        .bind("id", batchId)
        .map((rs, ctx) -> new Usage(rs.getInt("answered"), rs.getLong("prompt_tokens"),
            rs.getLong("completion_tokens"), rs.getDouble("cost")))
        .one();
  }

  /**
   * Judged comparisons in request order: the data of the fit. Essay A is shown first. When the judge stated its
   * probability that A is better, the comparison is a soft outcome weighted by it (docs/SCORING.md).
   */
  public List<Comparison> judged(Handle h, long batchId) {
    return h.createQuery("""
            SELECT essay_a, essay_b, winner, model, judge_probability_a FROM comparisons
            WHERE batch_id = :id AND status = 'JUDGED' ORDER BY id
            """)
        .bind("id", batchId)
        .map((rs, ctx) -> {
          String a = rs.getString("essay_a");
          String b = rs.getString("essay_b");
          String winner = rs.getString("winner");
          double probabilityA = rs.getDouble("judge_probability_a");
          double winnerProbability = rs.wasNull() ? 1.0 : winner.equals(a) ? probabilityA : 1 - probabilityA;
          return new Comparison(winner, winner.equals(a) ? b : a, a, rs.getString("model"), winnerProbability);
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

  /** Pending comparisons of a batch, in request order. */
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

  /** Counts one more dispatch for every pending comparison of a batch. */
  public void markPendingRedispatched(Handle h, long batchId) {
    h.createUpdate("""
            UPDATE comparisons SET dispatches = dispatches + 1, retry_after = NULL
            WHERE batch_id = :id AND status = 'PENDING'
            """).bind("id", batchId).execute();
  }

  /** Most frequent (provider, model) among judged comparisons, for result attribution. */
  public Optional<JudgeModel> dominantModel(Handle h, long batchId) {
    return h.createQuery("""
            SELECT provider, model FROM comparisons WHERE batch_id = :id AND status = 'JUDGED' AND model IS NOT NULL
            GROUP BY provider, model ORDER BY count(*) DESC, provider, model LIMIT 1
            """)
        .bind("id", batchId)
        .map(ConstructorMapper.of(JudgeModel.class))
        .findOne();
  }

  /** The batch of each known correlation id (unknown ids are absent). */
  public Map<UUID, Long> batchesOf(Handle h, Collection<UUID> correlationIds) {
    Map<UUID, Long> map = new HashMap<>();
    h.createQuery("SELECT correlation_id, batch_id FROM comparisons WHERE correlation_id = ANY(:ids)")
        .bindArray("ids", UUID.class, List.copyOf(correlationIds))
        .map((rs, ctx) -> Map.entry(rs.getObject("correlation_id", UUID.class), rs.getLong("batch_id")))
        .forEach(e -> map.put(e.getKey(), e.getValue()));
    return map;
  }

  /** What {@link #answer} did: the comparisons it answered, and among them those scheduled to be asked again. */
  public record Answered(Set<UUID> applied, Set<UUID> retrying) {}

  /**
   * Answers the pending comparisons among {@code results}, in one statement. A comparison already answered stays as
   * it is (the business-key dedupe): its id is not returned. An error answer for a comparison with fewer than
   * {@code retries.maxRetries()} errors so far is not an answer: the comparison stays PENDING, its error count
   * grows and {@code retry_after} says when its request may be re-sent (backoff doubling from the first, capped).
   */
  public Answered answer(Handle h, Collection<ComparisonResult> results, AnswerRetries retries, Instant now) {
    if (results.isEmpty()) {
      return new Answered(Set.of(), Set.of());
    }
    List<ComparisonResult> list = new ArrayList<>(results);
    Set<UUID> applied = new LinkedHashSet<>();
    Set<UUID> retrying = new LinkedHashSet<>();
    h.createQuery("""
            UPDATE comparisons c SET
                status = CASE WHEN v.first_won IS NOT NULL THEN 'JUDGED'
                              WHEN c.error_retries < :maxRetries THEN 'PENDING' ELSE 'ERROR' END,
                retry_after = CASE WHEN v.first_won IS NULL AND c.error_retries < :maxRetries
                    THEN CAST(:now AS timestamptz) + LEAST(:firstMs * power(2, c.error_retries), :maxMs)
                         * interval '1 millisecond' END,
                error_retries = c.error_retries
                    + CASE WHEN v.first_won IS NULL AND c.error_retries < :maxRetries THEN 1 ELSE 0 END,
                answered_at = CASE WHEN v.first_won IS NULL AND c.error_retries < :maxRetries THEN NULL
                                   ELSE COALESCE(v.completed_at, :now) END,
                winner = CASE WHEN v.first_won IS NULL THEN NULL WHEN v.first_won THEN c.essay_a ELSE c.essay_b END,
                confidence = v.confidence, justification = v.justification, error_code = v.error_code,
                error_message = v.error_message, provider = v.provider, model = v.model,
                response_time_ms = v.response_time_ms, prompt_tokens = v.prompt_tokens,
                completion_tokens = v.completion_tokens, total_tokens = v.total_tokens, cost_estimate = v.cost,
                judge_probability_a = v.probability_a
            FROM unnest(CAST(:ids AS uuid[]), CAST(:firstWon AS boolean[]), CAST(:confidence AS float8[]),
                        CAST(:justification AS text[]), CAST(:errorCode AS text[]), CAST(:errorMessage AS text[]),
                        CAST(:provider AS text[]), CAST(:model AS text[]), CAST(:responseTime AS int[]),
                        CAST(:promptTokens AS int[]), CAST(:completionTokens AS int[]), CAST(:totalTokens AS int[]),
                        CAST(:cost AS float8[]), CAST(:completedAt AS timestamptz[]), CAST(:probabilityA AS float8[]))
                 AS v(id, first_won, confidence, justification, error_code, error_message, provider, model,
                      response_time_ms, prompt_tokens, completion_tokens, total_tokens, cost, completed_at,
                      probability_a)
            WHERE c.correlation_id = v.id AND c.status = 'PENDING'
            RETURNING c.correlation_id, c.status
            """)
        .bind("now", now)
        .bind("maxRetries", retries.maxRetries())
        .bind("firstMs", (double) retries.firstBackoff().toMillis())
        .bind("maxMs", (double) retries.maxBackoff().toMillis())
        .bindArray("ids", UUID.class, list.stream().map(ComparisonResult::correlationId).toList())
        .bindArray("firstWon", Boolean.class, list.stream().map(ComparisonResult::firstWon).toList())
        .bindArray("confidence", Double.class, list.stream().map(ComparisonResult::confidence).toList())
        .bindArray("justification", String.class, list.stream().map(ComparisonResult::justification).toList())
        .bindArray("errorCode", String.class, list.stream().map(ComparisonResult::errorCode).toList())
        .bindArray("errorMessage", String.class, list.stream().map(ComparisonResult::errorMessage).toList())
        .bindArray("provider", String.class, list.stream().map(ComparisonResult::provider).toList())
        .bindArray("model", String.class, list.stream().map(ComparisonResult::model).toList())
        .bindArray("responseTime", Integer.class, list.stream().map(ComparisonResult::responseTimeMs).toList())
        .bindArray("promptTokens", Integer.class, list.stream().map(ComparisonResult::promptTokens).toList())
        .bindArray("completionTokens", Integer.class,
            list.stream().map(ComparisonResult::completionTokens).toList())
        .bindArray("totalTokens", Integer.class, list.stream().map(ComparisonResult::totalTokens).toList())
        .bindArray("cost", Double.class, list.stream().map(ComparisonResult::costEstimate).toList())
        .bindArray("completedAt", String.class, list.stream()
            .map(r -> r.completedAt() == null ? null : r.completedAt().toString()).toList())
        .bindArray("probabilityA", Double.class, list.stream().map(ComparisonResult::judgeProbabilityA).toList())
        .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2)))
        .forEach(e -> {
          applied.add(e.getKey());
          if (e.getValue().equals("PENDING")) {
            retrying.add(e.getKey());
          }
        });
    return new Answered(applied, retrying);
  }

  /** Pending comparisons of a batch whose error retry is due, in request order. */
  public List<PendingComparison> dueRetries(Handle h, long batchId, Instant now) {
    return h.createQuery("""
            SELECT correlation_id, wave, essay_a, essay_b, dispatches FROM comparisons
            WHERE batch_id = :id AND status = 'PENDING' AND retry_after <= :now ORDER BY id
            """)
        .bind("id", batchId)
        .bind("now", now)
        .map((rs, ctx) -> new PendingComparison(rs.getObject("correlation_id", UUID.class), rs.getInt("wave"),
            new Pair(rs.getString("essay_a"), rs.getString("essay_b")), rs.getInt("dispatches")))
        .list();
  }

  /** Counts one more dispatch for the comparisons whose requests were re-sent, and clears their retry time. */
  public void markRetried(Handle h, Collection<UUID> correlationIds) {
    h.createUpdate("""
            UPDATE comparisons SET dispatches = dispatches + 1, retry_after = NULL WHERE correlation_id = ANY(:ids)
            """).bindArray("ids", UUID.class, List.copyOf(correlationIds)).execute();
  }

  /** Active batches with an error retry due, in id order (the monitor advances them to re-send it). */
  public List<Long> batchesWithDueRetries(Handle h, Instant now) {
    return h.createQuery("""
            SELECT DISTINCT c.batch_id FROM comparisons c JOIN batches b ON b.id = c.batch_id
            WHERE c.retry_after <= :now AND c.status = 'PENDING' AND b.state = 'COMPARING'
            ORDER BY c.batch_id
            """).bind("now", now).mapTo(Long.class).list();
  }

  /** Adds {@code n} to the duplicate count of each comparison (correlation id → n). */
  public void addDuplicates(Handle h, Map<UUID, Integer> duplicatesPerComparison) {
    if (duplicatesPerComparison.isEmpty()) {
      return;
    }
    List<UUID> ids = new ArrayList<>(duplicatesPerComparison.keySet());
    h.createUpdate("""
            UPDATE comparisons c SET duplicates = c.duplicates + v.n
            FROM unnest(CAST(:ids AS uuid[]), CAST(:ns AS int[])) AS v(id, n) WHERE c.correlation_id = v.id
            """)
        .bindArray("ids", UUID.class, ids)
        .bindArray("ns", Integer.class, ids.stream().map(duplicatesPerComparison::get).toList())
        .execute();
  }

  /** Keeps callbacks that arrived after their batch ended, for audit; they change nothing else. */
  public void recordLate(Handle h, List<ComparisonResult> late) {
    if (late.isEmpty()) {
      return;
    }
    h.createUpdate("""
            INSERT INTO late_callbacks (batch_id, correlation_id, event_id, outcome)
            SELECT c.batch_id, v.correlation_id, v.event_id, v.outcome
            FROM unnest(CAST(:correlationIds AS uuid[]), CAST(:eventIds AS text[]), CAST(:outcomes AS text[]))
                 AS v(correlation_id, event_id, outcome)
            JOIN comparisons c ON c.correlation_id = v.correlation_id
            """)
        .bindArray("correlationIds", UUID.class, late.stream().map(ComparisonResult::correlationId).toList())
        .bindArray("eventIds", String.class, late.stream().map(ComparisonResult::eventId).toList())
        .bindArray("outcomes", String.class, late.stream()
            .map(r -> r.isError() ? r.errorCode() : (r.firstWon() ? "Essay A" : "Essay B")).toList())
        .execute();
  }

  /** Deletes late-callback audit rows received before {@code cutoff}; returns how many. */
  public int purgeLateBefore(Handle h, Instant cutoff) {
    return h.createUpdate("DELETE FROM late_callbacks WHERE received_at < :cutoff").bind("cutoff", cutoff).execute();
  }
}
