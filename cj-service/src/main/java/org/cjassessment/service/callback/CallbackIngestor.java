package org.cjassessment.service.callback;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.cjassessment.inbox.Inbox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Applies a poll's worth of callbacks in ONE transaction. Idempotent twice over: by envelope event id (inbox) and
 * by business key (a comparison is answered once; later answers are counted as duplicates). Callbacks for a
 * terminal batch are recorded for audit and change nothing. Returns the batches whose wave this poll completed;
 * the caller advances them after commit (and the monitor sweep covers a crash in between).
 */
public final class CallbackIngestor {

  static final String CONSUMER = "cj-callbacks";

  /** A callback that could not be applied, with the reason (for the dead-letter topic and the log). */
  public record Rejected(int index, String reason) {}

  /** The outcome of one poll. */
  public record Outcome(int applied, int duplicates, int late, List<Rejected> rejected, Set<Long> waveComplete) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final ComparisonResultParser parser = new ComparisonResultParser();

  public CallbackIngestor(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public Outcome ingest(List<byte[]> payloads) {
    List<Rejected> rejected = new ArrayList<>();
    Map<Integer, ComparisonResult> valid = new HashMap<>();
    for (int i = 0; i < payloads.size(); i++) {
      ComparisonResultParser.Parsed parsed = parser.parse(payloads.get(i));
      if (parsed instanceof ComparisonResultParser.Invalid invalid) {
        rejected.add(new Rejected(i, invalid.reason()));
      } else {
        valid.put(i, ((ComparisonResultParser.Valid) parsed).result());
      }
    }
    if (valid.isEmpty()) {
      return new Outcome(0, 0, 0, rejected, Set.of());
    }
    return jdbi.inTransaction(h -> apply(h, valid, rejected));
  }

  /**
   * Set-based: a handful of statements per poll whatever its size (arrays bound with unnest), so ingestion costs
   * about one transaction per poll rather than four round trips per callback.
   */
  private Outcome apply(Handle h, Map<Integer, ComparisonResult> valid, List<Rejected> rejected) {
    Instant now = clock.instant();
    Map<UUID, Long> batchOf = batches(h, valid.values().stream().map(ComparisonResult::correlationId).toList());
    List<Map.Entry<Integer, ComparisonResult>> known = new ArrayList<>();
    for (Map.Entry<Integer, ComparisonResult> e : new java.util.TreeMap<>(valid).entrySet()) {
      if (batchOf.containsKey(e.getValue().correlationId())) {
        known.add(e);
      } else {
        rejected.add(new Rejected(e.getKey(), "event " + e.getValue().eventId() + ": unknown correlation_id "
            + e.getValue().correlationId()));
      }
    }
    if (known.isEmpty()) {
      return new Outcome(0, 0, 0, rejected, Set.of());
    }
    // Lock every batch of the poll in id order: concurrent polls (other instances) cannot deadlock, and advance
    // (which takes the same lock) never sees half a poll.
    List<Long> batchIds = known.stream().map(e -> batchOf.get(e.getValue().correlationId())).distinct().sorted()
        .toList();
    Map<Long, String> state = new HashMap<>();
    h.createQuery("SELECT id, state FROM batches WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
        .bindArray("ids", Long.class, batchIds)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
        .forEach(e -> state.put(e.getKey(), e.getValue()));

    // 1. Deduplicate by envelope event id (inbox), first occurrence in the poll wins.
    Set<String> firstTime = new java.util.HashSet<>(Inbox.firstDeliveries(h, CONSUMER,
        known.stream().map(e -> e.getValue().eventId()).toList()));
    Map<Long, int[]> counts = new java.util.TreeMap<>(); // batch → {judged, errored, duplicates, late}
    batchIds.forEach(id -> counts.put(id, new int[4]));
    Map<UUID, Integer> duplicatesPerComparison = new HashMap<>();
    List<ComparisonResult> late = new ArrayList<>();
    Map<UUID, ComparisonResult> candidates = new java.util.LinkedHashMap<>();
    for (Map.Entry<Integer, ComparisonResult> e : known) {
      ComparisonResult r = e.getValue();
      long batchId = batchOf.get(r.correlationId());
      if (!firstTime.remove(r.eventId())) {
        counts.get(batchId)[2]++;
        duplicatesPerComparison.merge(r.correlationId(), 1, Integer::sum);
      } else if (state.get(batchId).equals("COMPLETED") || state.get(batchId).equals("FAILED")) {
        late.add(r);
        counts.get(batchId)[3]++;
      } else if (candidates.putIfAbsent(r.correlationId(), r) != null) {
        counts.get(batchId)[2]++; // a second answer to the same comparison in this poll
        duplicatesPerComparison.merge(r.correlationId(), 1, Integer::sum);
      }
    }

    // 2. Answer pending comparisons; an answered one stays as it is (business-key dedupe).
    Set<UUID> applied = candidates.isEmpty() ? Set.of() : new java.util.HashSet<>(record(h, candidates.values(), now));
    int appliedCount = 0;
    for (ComparisonResult r : candidates.values()) {
      int[] c = counts.get(batchOf.get(r.correlationId()));
      if (applied.contains(r.correlationId())) {
        c[r.isError() ? 1 : 0]++;
        appliedCount++;
      } else {
        c[2]++;
        duplicatesPerComparison.merge(r.correlationId(), 1, Integer::sum);
      }
    }

    // 3. Audit rows and counters.
    if (!late.isEmpty()) {
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
    if (!duplicatesPerComparison.isEmpty()) {
      h.createUpdate("""
              UPDATE comparisons c SET duplicates = c.duplicates + v.n
              FROM unnest(CAST(:ids AS uuid[]), CAST(:ns AS int[])) AS v(id, n) WHERE c.correlation_id = v.id
              """)
          .bindArray("ids", UUID.class, new ArrayList<>(duplicatesPerComparison.keySet()))
          .bindArray("ns", Integer.class, new ArrayList<>(duplicatesPerComparison.values()))
          .execute();
    }
    List<Long> ids = new ArrayList<>(counts.keySet());
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
        .bindArray("judged", Integer.class, ids.stream().map(id -> counts.get(id)[0]).toList())
        .bindArray("errored", Integer.class, ids.stream().map(id -> counts.get(id)[1]).toList())
        .bindArray("duplicates", Integer.class, ids.stream().map(id -> counts.get(id)[2]).toList())
        .bindArray("late", Integer.class, ids.stream().map(id -> counts.get(id)[3]).toList())
        .execute();
    List<Long> touched = ids.stream().filter(id -> counts.get(id)[0] + counts.get(id)[1] > 0).toList();
    Set<Long> waveComplete = touched.isEmpty() ? Set.of() : new LinkedHashSet<>(h.createQuery("""
            SELECT id FROM batches WHERE id = ANY(:ids) AND state = 'COMPARING' AND submitted = judged + errored
            ORDER BY id
            """).bindArray("ids", Long.class, touched).mapTo(Long.class).list());
    int duplicates = counts.values().stream().mapToInt(c -> c[2]).sum();
    return new Outcome(appliedCount, duplicates, late.size(), rejected, waveComplete);
  }

  /** Answers the pending comparisons among {@code results}; returns the correlation ids it answered. */
  private static List<UUID> record(Handle h, java.util.Collection<ComparisonResult> results, Instant now) {
    List<ComparisonResult> list = new ArrayList<>(results);
    return h.createQuery("""
            UPDATE comparisons c SET
                status = CASE WHEN v.first_won IS NULL THEN 'ERROR' ELSE 'JUDGED' END,
                winner = CASE WHEN v.first_won IS NULL THEN NULL WHEN v.first_won THEN c.essay_a ELSE c.essay_b END,
                confidence = v.confidence, justification = v.justification, error_code = v.error_code,
                error_message = v.error_message, provider = v.provider, model = v.model,
                response_time_ms = v.response_time_ms, prompt_tokens = v.prompt_tokens,
                completion_tokens = v.completion_tokens, total_tokens = v.total_tokens, cost_estimate = v.cost,
                answered_at = COALESCE(v.completed_at, :now)
            FROM unnest(CAST(:ids AS uuid[]), CAST(:firstWon AS boolean[]), CAST(:confidence AS float8[]),
                        CAST(:justification AS text[]), CAST(:errorCode AS text[]), CAST(:errorMessage AS text[]),
                        CAST(:provider AS text[]), CAST(:model AS text[]), CAST(:responseTime AS int[]),
                        CAST(:promptTokens AS int[]), CAST(:completionTokens AS int[]), CAST(:totalTokens AS int[]),
                        CAST(:cost AS float8[]), CAST(:completedAt AS timestamptz[]))
                 AS v(id, first_won, confidence, justification, error_code, error_message, provider, model,
                      response_time_ms, prompt_tokens, completion_tokens, total_tokens, cost, completed_at)
            WHERE c.correlation_id = v.id AND c.status = 'PENDING'
            RETURNING c.correlation_id
            """)
        .bind("now", now)
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
        .mapTo(UUID.class)
        .list();
  }

  private static Map<UUID, Long> batches(Handle h, List<UUID> correlationIds) {
    Map<UUID, Long> map = new HashMap<>();
    h.createQuery("SELECT correlation_id, batch_id FROM comparisons WHERE correlation_id = ANY(:ids)")
        .bindArray("ids", UUID.class, correlationIds)
        .map((rs, ctx) -> Map.entry(rs.getObject("correlation_id", UUID.class), rs.getLong("batch_id")))
        .forEach(e -> map.put(e.getKey(), e.getValue()));
    return map;
  }
}
