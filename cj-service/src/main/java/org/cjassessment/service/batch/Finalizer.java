package org.cjassessment.service.batch;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cjassessment.core.batch.FailureReason;
import org.cjassessment.core.batch.Outcome;
import org.cjassessment.core.batch.StopReason;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.core.bt.BradleyTerry;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.FitOptions;
import org.cjassessment.core.bt.FitResult;
import org.cjassessment.core.bt.RankIntervals;
import org.cjassessment.core.bt.SplitHalfReliability;
import org.cjassessment.core.pairs.PairStreams;
import org.cjassessment.core.grade.AbilityEstimate;
import org.cjassessment.core.grade.GradeProjection;
import org.cjassessment.core.grade.GradeProjector;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.core.grade.StudentGrade;
import org.cjassessment.outbox.OutboxStore;
import org.cjassessment.service.Json;
import org.cjassessment.service.ServiceSettings;
import org.jdbi.v3.core.Handle;

/**
 * The two terminal moves. Completion = fit + ranking + grade projection + terminal state + the three events, and
 * failure = terminal state + the failure event, each inside the caller's transaction (which holds the batch row
 * lock): the events exist if and only if the terminal state does. The payloads are {@link EventFactory}'s.
 */
public final class Finalizer {

  private final BatchStore store;
  private final ComparisonStore comparisons;
  private final EventFactory events;
  private final OutboxStore outbox;
  private final ServiceSettings settings;
  private final FitSummaryStore summaries = new FitSummaryStore();
  private final GradeProjector projector = GradeProjector.withDefaults();

  public Finalizer(BatchStore store, ComparisonStore comparisons, EventFactory events, OutboxStore outbox,
      ServiceSettings settings) {
    this.store = store;
    this.comparisons = comparisons;
    this.events = events;
    this.outbox = outbox;
    this.settings = settings;
  }

  public void complete(Handle h, BatchRow batch, Outcome outcome, StopReason stopReason, Trigger trigger,
      Instant now) {
    List<EssayRow> essays = store.essays(h, batch.id());
    List<Comparison> judged = comparisons.judged(h, batch.id());
    // 1. Fit scores to every judged comparison, the batch's essays included even if no judge placed them.
    FitOptions options = FitOptions.defaults().withPriorSd(settings.priorSd());
    FitResult fit = BradleyTerry.fit(judged, essays.stream().map(EssayRow::essayId).toList(), options);
    // 2. Store scores, standard errors and ranks.
    store.saveScores(h, batch.id(), fit.essays());
    // 3. Project the students' grades from the anchors.
    GradeScale scale = GradeScale.byId(batch.gradeScale());
    Map<String, String> anchorGrades = new TreeMap<>();
    essays.stream().filter(EssayRow::isAnchor).forEach(e -> anchorGrades.put(e.essayId(), e.anchorGrade()));
    GradeProjection projection = project(scale, fit, anchorGrades);
    Map<String, StudentGrade> grades = new LinkedHashMap<>();
    if (projection instanceof GradeProjection.Projected p) {
      p.students().forEach(g -> grades.put(g.essayId(), g));
    }
    // 4. Store the grades.
    for (StudentGrade g : grades.values()) {
      store.saveGrade(h, batch.id(), g.essayId(), scale.id(), g.mostLikelyGrade(), g.confidence(),
          g.confidenceLabel().name(), Json.write(EventFactory.probabilities(g)));
    }
    // 5. The terminal state: a guarded update, so a batch completes at most once.
    store.complete(h, batch.id(), outcome, trigger, now);
    // 6. The completed, result and resource-consumption events, committed with the terminal state or not at all.
    FinalScores scores = new FinalScores(scale, fit, fit.ranking().stream()
        .filter(e -> !anchorGrades.containsKey(e.essayId())).toList(), grades, anchorGrades,
        splitHalf(batch, judged, options));
    // Rank intervals among the students, as the results rank them (anchors are not ranked).
    summaries.save(h, batch.id(), new FitSummaryStore.Measured(fit.scaleSeparationReliability(), scores.splitHalf(),
        RankIntervals.among(fit, id -> !anchorGrades.containsKey(id), RankIntervals.DEFAULT_DRAWS,
            RankIntervals.DEFAULT_SEED),
        stopReason, fit.positionEffect(),
        projection instanceof GradeProjection.Projected p ? p.calibration().boundaries() : List.of()));
    outbox.append(h, events.completed(batch, scores, now));
    outbox.append(h, events.result(batch, outcome, stopReason, scores, comparisons.dominantModel(h, batch.id()), now));
    outbox.append(h, events.resourceConsumption(batch, judged.size(), now));
    h.afterCommit(() -> FinalizationLog.finalized(batch, "COMPLETED", outcome.name(), trigger.name()));
  }

  public void fail(Handle h, BatchRow batch, FailureReason reason, String detail, Trigger trigger, Instant now) {
    store.fail(h, batch.id(), reason, detail, trigger, now);
    outbox.append(h, events.failed(batch, reason, detail, trigger, now));
    h.afterCommit(() -> FinalizationLog.finalized(batch, "FAILED", reason.name(), trigger.name()));
  }

  /** The students' grades from the anchors; {@code NotProjected} when the scale cannot be projected. */
  private GradeProjection project(GradeScale scale, FitResult fit, Map<String, String> anchorGrades) {
    List<AbilityEstimate> estimates = fit.essays().stream()
        .map(e -> new AbilityEstimate(e.essayId(), e.score(), e.standardError().orElse(settings.priorSd() > 0
            ? settings.priorSd() : 10.0)))
        .toList();
    return projector.project(scale, estimates, anchorGrades);
  }

  /**
   * Under adaptive pairing the split into the two independent pair streams (random splits of adaptive data inherit
   * its outcome-made design and read high even on coin tosses); otherwise the mean over random splits.
   */
  private SplitHalfReliability splitHalf(BatchRow batch, List<Comparison> judged, FitOptions options) {
    return WaveDispatcher.selectorOf(batch, settings).adaptive()
        ? SplitHalfReliability.ofStreams(judged, options, PairStreams::of)
        : SplitHalfReliability.estimate(judged, options);
  }
}
