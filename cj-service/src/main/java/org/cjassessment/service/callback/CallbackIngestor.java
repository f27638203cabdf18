package org.cjassessment.service.callback;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.cjassessment.core.batch.BatchState;
import org.cjassessment.inbox.Inbox;
import org.cjassessment.service.batch.AnswerRetries;
import org.cjassessment.service.batch.BatchStore;
import org.cjassessment.service.batch.ComparisonResult;
import org.cjassessment.service.batch.ComparisonStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Applies a poll's worth of callbacks in ONE transaction. Idempotent twice over: by envelope event id (inbox) and
 * by business key (a comparison is answered once; later answers are counted as duplicates). Callbacks for a
 * terminal batch are recorded for audit and change nothing. Returns the batches whose wave this poll completed;
 * the caller advances them after commit (and the monitor sweep covers a crash in between). This class decides what
 * each callback is (first answer, duplicate, late); the SQL is the stores'.
 */
public final class CallbackIngestor {

  /** The inbox consumer name of the callback path (its processed-event rows). */
  public static final String CONSUMER = "cj-callbacks";

  /** A callback that could not be applied, with the reason (for the dead-letter topic and the log). */
  public record Rejected(int index, String reason) {}

  /** The outcome of one poll. */
  public record Outcome(int applied, int duplicates, int late, List<Rejected> rejected, Set<Long> waveComplete) {}

  private final Jdbi jdbi;
  private final BatchStore batches;
  private final ComparisonStore comparisons;
  private final AnswerRetries retries;
  private final Clock clock;
  private final ComparisonResultParser parser = new ComparisonResultParser();

  public CallbackIngestor(Jdbi jdbi, BatchStore batches, ComparisonStore comparisons, Clock clock) {
    this(jdbi, batches, comparisons, AnswerRetries.defaults(), clock);
  }

  /** @param retries how often a pair whose answer was a provider error is asked again */
  public CallbackIngestor(Jdbi jdbi, BatchStore batches, ComparisonStore comparisons, AnswerRetries retries,
      Clock clock) {
    this.jdbi = jdbi;
    this.batches = batches;
    this.comparisons = comparisons;
    this.retries = retries;
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
    Map<UUID, Long> batchOf = comparisons.batchesOf(h,
        valid.values().stream().map(ComparisonResult::correlationId).toList());
    List<Map.Entry<Integer, ComparisonResult>> known = new ArrayList<>();
    for (Map.Entry<Integer, ComparisonResult> e : new TreeMap<>(valid).entrySet()) {
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
    Map<Long, BatchState> state = batches.lockAll(h, batchIds);

    // 1. Deduplicate by envelope event id (inbox), first occurrence in the poll wins.
    Set<String> firstTime = new HashSet<>(Inbox.firstDeliveries(h, CONSUMER,
        known.stream().map(e -> e.getValue().eventId()).toList()));
    Map<Long, Tally> tallies = new TreeMap<>();
    batchIds.forEach(id -> tallies.put(id, new Tally()));
    Map<UUID, Integer> duplicatesPerComparison = new HashMap<>();
    List<ComparisonResult> late = new ArrayList<>();
    Map<UUID, ComparisonResult> candidates = new LinkedHashMap<>();
    for (Map.Entry<Integer, ComparisonResult> e : known) {
      ComparisonResult r = e.getValue();
      long batchId = batchOf.get(r.correlationId());
      if (!firstTime.remove(r.eventId())) {
        tallies.get(batchId).duplicates++;
        duplicatesPerComparison.merge(r.correlationId(), 1, Integer::sum);
      } else if (state.get(batchId).isTerminal()) {
        late.add(r);
        tallies.get(batchId).late++;
      } else if (candidates.putIfAbsent(r.correlationId(), r) != null) {
        tallies.get(batchId).duplicates++; // a second answer to the same comparison in this poll
        duplicatesPerComparison.merge(r.correlationId(), 1, Integer::sum);
      }
    }

    // 2. Answer pending comparisons; an answered one stays as it is (business-key dedupe). A provider error with
    //    retries left is no answer: the comparison stays pending and is asked again after a backoff.
    ComparisonStore.Answered answered = comparisons.answer(h, candidates.values(), retries, now);
    Set<UUID> applied = answered.applied();
    for (ComparisonResult r : candidates.values()) {
      Tally t = tallies.get(batchOf.get(r.correlationId()));
      if (!applied.contains(r.correlationId())) {
        t.duplicates++;
        duplicatesPerComparison.merge(r.correlationId(), 1, Integer::sum);
      } else if (answered.retrying().contains(r.correlationId())) {
        continue; // neither judged nor errored: the pair is still pending
      } else if (r.isError()) {
        t.errored++;
      } else {
        t.judged++;
      }
    }

    // 3. Audit rows and counters.
    comparisons.recordLate(h, late);
    comparisons.addDuplicates(h, duplicatesPerComparison);
    Map<Long, BatchStore.CallbackCounts> counts = new TreeMap<>();
    tallies.forEach((id, t) -> counts.put(id, t.counts()));
    batches.addCallbackCounts(h, counts, now);
    List<Long> answeredBatches = counts.entrySet().stream().filter(e -> e.getValue().answeredAny())
        .map(Map.Entry::getKey).toList();
    int duplicates = counts.values().stream().mapToInt(BatchStore.CallbackCounts::duplicates).sum();
    return new Outcome(applied.size(), duplicates, late.size(), rejected, batches.waveComplete(h, answeredBatches));
  }

  /** Counts for one batch while a poll is classified. */
  private static final class Tally {
    int judged;
    int errored;
    int duplicates;
    int late;

    BatchStore.CallbackCounts counts() {
      return new BatchStore.CallbackCounts(judged, errored, duplicates, late);
    }
  }
}
