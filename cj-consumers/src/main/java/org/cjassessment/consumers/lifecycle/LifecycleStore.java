package org.cjassessment.consumers.lifecycle;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** Owns {@code essay_states} and {@code phase_outcomes}; every statement on the caller's handle. */
public final class LifecycleStore {

  public static final String CJ_PHASE = "cj_assessment";

  /**
   * Moves each essay to {@code state} if it has no state yet or is still AWAITING_CJ ({@link EssayState#apply});
   * a terminal essay is left alone. Returns how many rows changed.
   */
  public int move(Handle h, String batchId, Collection<String> essayIds, EssayState state, String eventId) {
    if (essayIds.isEmpty()) {
      return 0;
    }
    return h.createUpdate("""
            INSERT INTO essay_states (batch_id, essay_id, state, event_id)
            SELECT :batch, unnest(CAST(:ids AS text[])), :state, :event
            ON CONFLICT (batch_id, essay_id) DO UPDATE
              SET state = EXCLUDED.state, event_id = EXCLUDED.event_id, updated_at = now()
              WHERE essay_states.state = 'AWAITING_CJ' AND EXCLUDED.state <> 'AWAITING_CJ'
            """)
        .bind("batch", batchId)
        .bindArray("ids", String.class, List.copyOf(essayIds))
        .bind("state", state.name())
        .bind("event", eventId)
        .execute();
  }

  /** Every essay of the batch still AWAITING_CJ becomes {@code state}. */
  public int moveAwaiting(Handle h, String batchId, EssayState state, String eventId) {
    return h.createUpdate("""
            UPDATE essay_states SET state = :state, event_id = :event, updated_at = now()
            WHERE batch_id = :batch AND state = 'AWAITING_CJ'
            """)
        .bind("batch", batchId)
        .bind("state", state.name())
        .bind("event", eventId)
        .execute();
  }

  /** Serialises this transaction with every other one on the same batch, until it ends. */
  public void lockBatch(Handle h, String batchId) {
    h.createQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(:b, 7310))")
        .bind("b", batchId)
        .mapTo(Integer.class)
        .one();
  }

  /** Decides the batch's phase outcome; false when it was decided before (the primary key decides races). */
  public boolean decide(Handle h, String batchId, String outcome, String jobId, String eventId) {
    return h.createUpdate("""
            INSERT INTO phase_outcomes (batch_id, phase, outcome, job_id, event_id)
            VALUES (:batch, :phase, :outcome, :job, :event)
            ON CONFLICT (batch_id, phase) DO NOTHING
            """)
        .bind("batch", batchId)
        .bind("phase", CJ_PHASE)
        .bind("outcome", outcome)
        .bind("job", jobId)
        .bind("event", eventId)
        .execute() == 1;
  }

  public Optional<String> outcome(Handle h, String batchId) {
    return h.createQuery("SELECT outcome FROM phase_outcomes WHERE batch_id = :b AND phase = :p")
        .bind("b", batchId)
        .bind("p", CJ_PHASE)
        .mapTo(String.class)
        .findOne();
  }

  public Map<String, EssayState> states(Handle h, String batchId) {
    return h.createQuery("SELECT essay_id, state FROM essay_states WHERE batch_id = :b")
        .bind("b", batchId)
        .map((rs, ctx) -> Map.entry(rs.getString(1), EssayState.valueOf(rs.getString(2))))
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
