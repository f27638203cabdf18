package org.cjassessment.service.batch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.cjassessment.core.pairs.Pair;
import org.cjassessment.core.pairs.CurrentEstimate;
import org.cjassessment.core.pairs.PairSelector;
import org.cjassessment.core.pairs.SelectorKind;
import org.cjassessment.core.pairs.WaveRequest;
import org.cjassessment.outbox.OutboxStore;
import org.cjassessment.service.Json;
import org.cjassessment.service.ServiceSettings;
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
  private final ServiceSettings settings;

  public WaveDispatcher(BatchStore store, ComparisonStore comparisons, PairSelector selector, EventFactory events,
      OutboxStore outbox, ServiceSettings settings) {
    this.store = store;
    this.comparisons = comparisons;
    this.selector = selector;
    this.events = events;
    this.outbox = outbox;
    this.settings = settings;
  }

  /** Returns the number of comparisons requested. */
  public int dispatch(Handle h, BatchRow batch, int maxPairs, String scoresJson, Double scoreChange, Instant now) {
    return dispatch(h, batch, maxPairs, scoresJson, scoreChange, Optional.empty(), now);
  }

  /**
   * Returns the number of comparisons requested; 0 when the selector found no pair (e.g. every essay at the cap on
   * appearances), and then nothing is recorded.
   *
   * @param estimate the current fit, for the adaptive selector
   */
  public int dispatch(Handle h, BatchRow batch, int maxPairs, String scoresJson, Double scoreChange,
      Optional<CurrentEstimate> estimate, Instant now) {
    List<String> essays = store.essayIds(h, batch.id());
    List<Pair> history = comparisons.requestedPairs(h, batch.id());
    int wave = batch.wave() + 1;
    long seed = batch.id() * 1_000_003L + wave;
    RequestContext requested = RequestContext.of(batch);
    PairSelector chosen = requested.pairSelector().map(SelectorKind::selector).orElse(selector);
    List<Pair> pairs = chosen.select(new WaveRequest(essays, history, maxPairs, seed, settings.maxPerEssay(),
        estimate));
    if (pairs.isEmpty()) {
      return 0;
    }
    Map<String, String> texts = store.essayTexts(h, batch.id(), essaysOf(pairs));
    for (Pair pair : pairs) {
      UUID correlationId = comparisons.insert(h, batch.id(), wave, pair);
      outbox.append(h, events.comparisonRequest(batch, requested,
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

  /**
   * Re-sends the requests of the comparisons whose error retry is due (a provider error is not a judgement: the pair
   * is asked again). Each re-send is a new dispatch with its own deterministic event id.
   */
  public int resendDueRetries(Handle h, BatchRow batch, Instant now) {
    List<ComparisonStore.PendingComparison> due = comparisons.dueRetries(h, batch.id(), now);
    if (due.isEmpty()) {
      return 0;
    }
    RequestContext context = RequestContext.of(batch);
    Map<String, String> texts = store.essayTexts(h, batch.id(),
        essaysOf(due.stream().map(ComparisonStore.PendingComparison::pair).toList()));
    for (ComparisonStore.PendingComparison p : due) {
      outbox.append(h, events.comparisonRequest(batch, context, p, texts, now));
    }
    comparisons.markRetried(h, due.stream().map(ComparisonStore.PendingComparison::correlationId).toList());
    return due.size();
  }

  private static Set<String> essaysOf(List<Pair> pairs) {
    Set<String> ids = new HashSet<>();
    for (Pair p : pairs) {
      ids.add(p.first());
      ids.add(p.second());
    }
    return ids;
  }

  /** The selector this batch uses: the one its request named, else the service's. */
  public SelectorKind selectorOf(BatchRow batch) {
    return selectorOf(batch, settings);
  }

  static SelectorKind selectorOf(BatchRow batch, ServiceSettings settings) {
    return RequestContext.of(batch).pairSelector().orElse(settings.pairSelector());
  }

  /** The parts of the stored request that travel with every comparison, and the requested pair selector. */
  record RequestContext(String assignmentContext, Map<String, Object> llmConfigOverrides,
      Optional<SelectorKind> pairSelector) {
    static RequestContext of(BatchRow batch) {
      try {
        JsonNode node = Json.mapper().readTree(batch.request());
        JsonNode overrides = node.path("llm_config_overrides");
        Map<String, Object> map = overrides.isObject()
            ? Json.mapper().convertValue(overrides, new TypeReference<Map<String, Object>>() {}) : Map.of();
        JsonNode context = node.path("assignment_context");
        JsonNode selector = node.path("pair_selector");
        return new RequestContext(context.isTextual() ? context.asText() : null, map,
            selector.isTextual() ? SelectorKind.find(selector.asText()) : Optional.empty());
      } catch (java.io.IOException e) {
        throw new IllegalStateException("stored request of batch " + batch.id() + " is not JSON", e);
      }
    }
  }
}
