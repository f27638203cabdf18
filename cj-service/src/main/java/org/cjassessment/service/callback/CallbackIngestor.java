package org.cjassessment.service.callback;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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

  private Outcome apply(Handle h, Map<Integer, ComparisonResult> valid, List<Rejected> rejected) {
    Instant now = clock.instant();
    Map<UUID, Long> batchOf = batches(h, valid.values().stream().map(ComparisonResult::correlationId).toList());
    List<Map.Entry<Integer, ComparisonResult>> known = new ArrayList<>();
    for (Map.Entry<Integer, ComparisonResult> e : valid.entrySet()) {
      if (batchOf.containsKey(e.getValue().correlationId())) {
        known.add(e);
      } else {
        rejected.add(new Rejected(e.getKey(), "event " + e.getValue().eventId() + ": unknown correlation_id "
            + e.getValue().correlationId()));
      }
    }
    // Lock batches in one global order (batch id, then correlation id): concurrent polls cannot deadlock.
    known.sort(Comparator.<Map.Entry<Integer, ComparisonResult>>comparingLong(
            e -> batchOf.get(e.getValue().correlationId()))
        .thenComparing(e -> e.getValue().correlationId()));
    int applied = 0;
    int duplicates = 0;
    int late = 0;
    Set<Long> touched = new LinkedHashSet<>();
    for (Map.Entry<Integer, ComparisonResult> e : known) {
      ComparisonResult r = e.getValue();
      long batchId = batchOf.get(r.correlationId());
      String state = h.createQuery("SELECT state FROM batches WHERE id = :id FOR UPDATE")
          .bind("id", batchId).mapTo(String.class).one();
      if (!Inbox.firstDelivery(h, CONSUMER, r.eventId())) {
        countDuplicate(h, batchId, r.correlationId());
        duplicates++;
      } else if (state.equals("COMPLETED") || state.equals("FAILED")) {
        h.createUpdate("""
                INSERT INTO late_callbacks (batch_id, correlation_id, event_id, outcome)
                VALUES (:b, :c, :e, :o)
                """)
            .bind("b", batchId).bind("c", r.correlationId()).bind("e", r.eventId())
            .bind("o", r.isError() ? r.errorCode() : (r.firstWon() ? "Essay A" : "Essay B")).execute();
        h.createUpdate("UPDATE batches SET late_callbacks = late_callbacks + 1 WHERE id = :id")
            .bind("id", batchId).execute();
        late++;
      } else if (record(h, r, now) == 1) {
        h.createUpdate(r.isError()
                ? "UPDATE batches SET errored = errored + 1, last_activity_at = :now WHERE id = :id"
                : "UPDATE batches SET judged = judged + 1, last_activity_at = :now WHERE id = :id")
            .bind("id", batchId).bind("now", now).execute();
        touched.add(batchId);
        applied++;
      } else {
        countDuplicate(h, batchId, r.correlationId());
        duplicates++;
      }
    }
    Set<Long> waveComplete = new LinkedHashSet<>();
    for (long batchId : touched) {
      boolean complete = h.createQuery("""
              SELECT submitted = judged + errored FROM batches WHERE id = :id AND state = 'COMPARING'
              """).bind("id", batchId).mapTo(Boolean.class).findOne().orElse(false);
      if (complete) {
        waveComplete.add(batchId);
      }
    }
    return new Outcome(applied, duplicates, late, rejected, waveComplete);
  }

  /** Answers a pending comparison; 0 rows when it was already answered. */
  private static int record(Handle h, ComparisonResult r, Instant now) {
    return h.createUpdate("""
            UPDATE comparisons SET
                status = :status,
                winner = CASE WHEN CAST(:firstWon AS boolean) IS NULL THEN NULL
                              WHEN CAST(:firstWon AS boolean) THEN essay_a ELSE essay_b END,
                confidence = :confidence, justification = :justification, error_code = :errorCode,
                error_message = :errorMessage, provider = :provider, model = :model,
                response_time_ms = :responseTimeMs, prompt_tokens = :promptTokens,
                completion_tokens = :completionTokens, total_tokens = :totalTokens, cost_estimate = :cost,
                answered_at = COALESCE(CAST(:completedAt AS timestamptz), CAST(:now AS timestamptz))
            WHERE correlation_id = :correlationId AND status = 'PENDING'
            """)
        .bind("status", r.isError() ? "ERROR" : "JUDGED")
        .bind("firstWon", r.firstWon())
        .bind("confidence", r.confidence())
        .bind("justification", r.justification())
        .bind("errorCode", r.errorCode())
        .bind("errorMessage", r.errorMessage())
        .bind("provider", r.provider())
        .bind("model", r.model())
        .bind("responseTimeMs", r.responseTimeMs())
        .bind("promptTokens", r.promptTokens())
        .bind("completionTokens", r.completionTokens())
        .bind("totalTokens", r.totalTokens())
        .bind("cost", r.costEstimate())
        .bind("completedAt", r.completedAt())
        .bind("now", now)
        .bind("correlationId", r.correlationId())
        .execute();
  }

  private static void countDuplicate(Handle h, long batchId, UUID correlationId) {
    h.createUpdate("UPDATE comparisons SET duplicates = duplicates + 1 WHERE correlation_id = :c")
        .bind("c", correlationId).execute();
    h.createUpdate("UPDATE batches SET duplicate_callbacks = duplicate_callbacks + 1 WHERE id = :id")
        .bind("id", batchId).execute();
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
