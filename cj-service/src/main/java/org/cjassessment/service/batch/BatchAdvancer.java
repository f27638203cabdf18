package org.cjassessment.service.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.cjassessment.core.batch.BatchSnapshot;
import org.cjassessment.core.batch.BatchState;
import org.cjassessment.core.batch.ContinuationPolicy;
import org.cjassessment.core.batch.Decision;
import org.cjassessment.core.batch.FailureReason;
import org.cjassessment.core.batch.Outcome;
import org.cjassessment.core.batch.Precision;
import org.cjassessment.core.batch.PrecisionTarget;
import org.cjassessment.core.batch.StopReason;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.core.bt.BradleyTerry;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.EssayEstimate;
import org.cjassessment.core.bt.FitOptions;
import org.cjassessment.core.bt.FitResult;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.core.progress.CurrentFit;
import org.cjassessment.service.Failures;
import org.cjassessment.service.Json;
import org.cjassessment.service.ServiceSettings;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point every trigger calls. It locks the batch row, re-reads the batch, asks the pure
 * {@link ContinuationPolicy} and applies the answer in the same transaction. Two concurrent calls serialise on the
 * row lock; the second sees the first's result, so a batch has at most one terminal transition and one set of
 * events whatever races to finish it.
 */
public final class BatchAdvancer {

  private static final Logger LOG = LoggerFactory.getLogger(BatchAdvancer.class);

  /** Listener for metrics; every method defaults to doing nothing. */
  public interface Listener {
    default void decided(Trigger trigger, Decision decision) {}
  }

  private final Jdbi jdbi;
  private final BatchStore store;
  private final ComparisonStore comparisons;
  private final WaveDispatcher waves;
  private final Finalizer finalizer;
  private final ServiceSettings settings;
  private final Clock clock;
  private final Listener listener;

  public BatchAdvancer(Jdbi jdbi, BatchStore store, ComparisonStore comparisons, WaveDispatcher waves,
      Finalizer finalizer, ServiceSettings settings, Clock clock, Listener listener) {
    this.jdbi = jdbi;
    this.store = store;
    this.comparisons = comparisons;
    this.waves = waves;
    this.finalizer = finalizer;
    this.settings = settings;
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * Advances the batch in a transaction of its own. If applying the decision throws a permanent failure (a bug or
   * data every retry would hit again, as {@link Failures} classifies it), the transaction rolls back and the batch
   * is failed with {@link FailureReason#PROCESSING_ERROR} and its failure event in a second transaction, under the
   * same row lock discipline, so it neither loops in the monitor nor ends without an event. Transient failures (a
   * cancelled statement, a deadlock, a lost connection — also when wrapped, e.g. by the outbox) propagate: the
   * caller or the monitor retries them, and the batch stays healthy.
   */
  public AdvanceResult advance(long batchId, Trigger trigger) {
    AdvanceResult result;
    try {
      result = jdbi.inTransaction(h -> advance(h, batchId, trigger));
    } catch (RuntimeException e) {
      if (Failures.isTransient(e)) {
        throw e;
      }
      LOG.error("advancing batch {} ({} trigger) failed; failing the batch", batchId, trigger, e);
      result = jdbi.inTransaction(h -> failAfterError(h, batchId, trigger, e));
    }
    if (result.found()) {
      listener.decided(trigger, result.decision());
    }
    return result;
  }

  private AdvanceResult failAfterError(Handle h, long batchId, Trigger trigger, RuntimeException error) {
    Optional<BatchRow> locked = store.lock(h, batchId);
    if (locked.isEmpty()) {
      return new AdvanceResult(batchId, trigger, null);
    }
    BatchRow batch = locked.get();
    if (batch.state().isTerminal()) {
      return new AdvanceResult(batchId, trigger, new Decision.AlreadyTerminal(batch.state()));
    }
    Decision.Fail fail = new Decision.Fail(FailureReason.PROCESSING_ERROR, Failures.describe(error));
    finalizer.fail(h, batch, fail.reason(), fail.detail(), trigger, clock.instant());
    return new AdvanceResult(batchId, trigger, fail);
  }

  /** Advances the batch inside the caller's transaction (intake creates and starts a batch atomically). */
  public AdvanceResult advance(Handle h, long batchId, Trigger trigger) {
    Optional<BatchRow> locked = store.lock(h, batchId);
    if (locked.isEmpty()) {
      return new AdvanceResult(batchId, trigger, null);
    }
    BatchRow batch = locked.get();
    Instant now = clock.instant();
    if (batch.state() == BatchState.COMPARING) {
      int resent = waves.resendDueRetries(h, batch, now);
      if (resent > 0) {
        LOG.info("batch {}: asked {} pairs again after a provider error ({} trigger)", batchId, resent, trigger);
      }
    }
    ScoreCheck check = batch.state() == BatchState.COMPARING && batch.pending() == 0
        ? scoreCheck(h, batch) : ScoreCheck.NONE;
    BatchStore.EssayCounts counts = store.essayCounts(h, batchId);
    boolean stalled = Duration.between(batch.lastActivityAt(), now).compareTo(settings.stuckAfter()) >= 0;
    BatchSnapshot snapshot = new BatchSnapshot(batch.state(), trigger, counts.students(), counts.essays(),
        batch.budget(), batch.submitted(), batch.judged(), batch.errored(), check.change(), stalled,
        batch.redispatches(), check.precision());
    Decision decision = settings.policy().decide(snapshot);
    apply(h, batch, trigger, decision, check, now);
    return new AdvanceResult(batchId, trigger, decision);
  }

  // Java 17 has no pattern matching for switch: an instanceof chain over the sealed Decision.
  private void apply(Handle h, BatchRow batch, Trigger trigger, Decision decision, ScoreCheck check, Instant now) {
    long batchId = batch.id();
    if (decision instanceof Decision.AlreadyTerminal t) {
      LOG.info("batch {} is already {}; {} trigger changes nothing", batchId, t.state(), trigger);
    } else if (decision instanceof Decision.Wait w) {
      LOG.debug("batch {} waits: {}", batchId, w.why());
    } else if (decision instanceof Decision.NextWave next) {
      int requested = waves.dispatch(h, batch, next.maxPairs(), check.scoresJson(),
          check.change().isPresent() ? check.change().getAsDouble() : null,
          check.current().map(CurrentFit::estimate), now);
      if (requested == 0 && batch.pending() == 0) {
        // Every essay is at the cap on appearances (or no pair is left to ask): score what there is.
        finalizer.complete(h, batch, Outcome.COMPLETE_BUDGET_EXHAUSTED, StopReason.APPEARANCE_CAP, trigger, now);
        LOG.info("batch {} completed: {} (stop reason {}, {} trigger, {} judged)", batchId,
            Outcome.COMPLETE_BUDGET_EXHAUSTED, StopReason.APPEARANCE_CAP.id(), trigger, batch.judged());
        return;
      }
      LOG.info("batch {} wave {}: {} comparisons requested ({} trigger)", batchId, batch.wave() + 1, requested,
          trigger);
    } else if (decision instanceof Decision.Redispatch) {
      int resent = waves.redispatch(h, batch, now);
      LOG.warn("batch {} stalled: re-dispatched {} pending comparisons", batchId, resent);
    } else if (decision instanceof Decision.Finalize f) {
      finalizer.complete(h, batch, f.outcome(), f.stopReason(), trigger, now);
      LOG.info("batch {} completed: {} (stop reason {}, {} trigger, {} judged)", batchId, f.outcome(),
          f.stopReason().id(), trigger, batch.judged());
    } else if (decision instanceof Decision.Fail f) {
      finalizer.fail(h, batch, f.reason(), f.detail(), trigger, now);
      LOG.warn("batch {} failed: {}: {} ({} trigger)", batchId, f.reason(), f.detail(), trigger);
    }
  }

  /**
   * After a complete wave: refit and measure how far the scores moved since the previous wave. With the adaptive
   * selector or a precision target (once the minimum appearances are reached) the fit carries standard errors,
   * grades and the precision figures ({@link CurrentFit}); otherwise the cheaper fit without standard errors.
   */
  private ScoreCheck scoreCheck(Handle h, BatchRow batch) {
    List<Comparison> judged = comparisons.judged(h, batch.id());
    if (judged.isEmpty()) {
      return ScoreCheck.NONE;
    }
    List<EssayRow> essays = store.essays(h, batch.id());
    List<String> ids = essays.stream().map(EssayRow::essayId).toList();
    boolean adaptive = waves.selectorOf(batch).adaptive();
    PrecisionTarget target = settings.policy().precisionTarget();
    boolean precise = target.active() && 2.0 * judged.size() / Math.max(1, ids.size()) >= target.minAppearances();
    Optional<CurrentFit> current = Optional.empty();
    Precision precision = Precision.none();
    FitResult fit;
    if (adaptive || precise) {
      Map<String, String> anchorGrades = new TreeMap<>();
      essays.stream().filter(EssayRow::isAnchor).forEach(e -> anchorGrades.put(e.essayId(), e.anchorGrade()));
      boolean grades = adaptive || (precise && target.gradeShare() > 0);
      CurrentFit c = grades ? CurrentFit.of(judged, ids, anchorGrades, GradeScale.byId(batch.gradeScale()),
          settings.priorSd(), CurrentFit.BETWEEN_WAVES)
          : CurrentFit.ungraded(judged, ids, anchorGrades,
              settings.priorSd());
      current = Optional.of(c);
      fit = c.fit();
      if (precise) {
        precision = c.precision(adaptive, PRECISION_SPLITS, batch.id());
      }
    } else {
      fit = BradleyTerry.fit(judged, ids, FitOptions.defaults().withPriorSd(settings.priorSd())
          .withStandardErrors(false));
    }
    Map<String, Double> scores = new TreeMap<>();
    for (EssayEstimate e : fit.essays()) {
      scores.put(e.essayId(), e.score());
    }
    OptionalDouble change = OptionalDouble.empty();
    if (batch.lastScores() != null) {
      Map<String, Double> previous = parse(batch.lastScores());
      double largest = 0;
      for (Map.Entry<String, Double> e : scores.entrySet()) {
        Double before = previous.get(e.getKey());
        largest = Math.max(largest, before == null ? Double.MAX_VALUE : Math.abs(e.getValue() - before));
      }
      change = OptionalDouble.of(largest);
    }
    return new ScoreCheck(Json.write(scores), change, current, precision);
  }

  /** Random splits for the split-half reliability between waves (the published figure uses the default 50). */
  private static final int PRECISION_SPLITS = 10;

  private static Map<String, Double> parse(String json) {
    try {
      return Json.mapper().readValue(json, new TypeReference<Map<String, Double>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored scores are not JSON", e);
    }
  }

  private record ScoreCheck(String scoresJson, OptionalDouble change, Optional<CurrentFit> current,
      Precision precision) {
    static final ScoreCheck NONE = new ScoreCheck(null, OptionalDouble.empty(), Optional.empty(), Precision.none());
  }
}
