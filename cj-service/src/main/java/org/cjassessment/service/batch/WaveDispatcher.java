package org.cjassessment.service.batch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.cjassessment.core.pairs.Pair;
import org.cjassessment.core.pairs.PairSelector;
import org.cjassessment.outbox.OutboxStore;
import org.cjassessment.service.Json;
import org.jdbi.v3.core.Handle;

/**
 * Writes a wave: the chosen pairs as comparison rows and their request events in the outbox, in the caller's
 * transaction — a crash leaves either the whole wave (rows and requests) or nothing.
 */
public final class WaveDispatcher {

  private final BatchStore store;
  private final ComparisonStore comparisons;
  private final PairSelector selector;
  private final EventFactory events;
  private final OutboxStore outbox;

  public WaveDispatcher(BatchStore store, ComparisonStore comparisons, PairSelector selector, EventFactory events,
      OutboxStore outbox) {
    this.store = store;
    this.comparisons = comparisons;
    this.selector = selector;
    this.events = events;
    this.outbox = outbox;
  }

  /** Returns the number of comparisons requested. */
  public int dispatch(Handle h, BatchRow batch, int maxPairs, String scoresJson, Double scoreChange, Instant now) {
    List<String> essays = store.essayIds(h, batch.id());
    List<Pair> history = comparisons.requestedPairs(h, batch.id());
    int wave = batch.wave() + 1;
    long seed = batch.id() * 1_000_003L + wave;
    List<Pair> pairs = selector.select(essays, history, maxPairs, seed);
    Map<String, String> texts = store.essayTexts(h, batch.id(), essaysOf(pairs));
    RequestContext context = RequestContext.of(batch);
    for (Pair pair : pairs) {
      UUID correlationId = comparisons.insert(h, batch.id(), wave, pair);
      outbox.append(h, events.comparisonRequest(batch, context,
          new ComparisonStore.PendingComparison(correlationId, wave, pair, 0), texts, now));
    }
    store.recordWave(h, batch.id(), wave, pairs.size(), scoresJson, scoreChange, now);
    return pairs.size();
  }

  /** Re-sends the requests of every pending comparison (their requests or answers were lost). */
  public int redispatch(Handle h, BatchRow batch, Instant now) {
    RequestContext context = RequestContext.of(batch);
    List<ComparisonStore.PendingComparison> pending = comparisons.pending(h, batch.id());
    Map<String, String> texts = store.essayTexts(h, batch.id(),
        essaysOf(pending.stream().map(ComparisonStore.PendingComparison::pair).toList()));
    for (ComparisonStore.PendingComparison p : pending) {
      outbox.append(h, events.comparisonRequest(batch, context, p, texts, now));
    }
    comparisons.markPendingRedispatched(h, batch.id());
    store.countRedispatch(h, batch.id(), now);
    return pending.size();
  }

  private static Set<String> essaysOf(List<Pair> pairs) {
    Set<String> ids = new HashSet<>();
    for (Pair p : pairs) {
      ids.add(p.first());
      ids.add(p.second());
    }
    return ids;
  }

  /** The parts of the stored request that travel with every comparison. */
  record RequestContext(String assignmentContext, Map<String, Object> llmConfigOverrides) {
    static RequestContext of(BatchRow batch) {
      try {
        JsonNode node = Json.mapper().readTree(batch.request());
        JsonNode overrides = node.path("llm_config_overrides");
        Map<String, Object> map = overrides.isObject()
            ? Json.mapper().convertValue(overrides, new TypeReference<Map<String, Object>>() {}) : Map.of();
        JsonNode context = node.path("assignment_context");
        return new RequestContext(context.isTextual() ? context.asText() : null, map);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("stored request of batch " + batch.id() + " is not JSON", e);
      }
    }
  }
}
