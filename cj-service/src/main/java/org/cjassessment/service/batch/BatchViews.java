package org.cjassessment.service.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cjassessment.core.batch.BatchState;
import org.jdbi.v3.core.Jdbi;

/** Read models for the HTTP API and the CLI: batch status and results, as plain maps for JSON. */
public final class BatchViews {

  private final Jdbi jdbi;
  private final BatchStore store;
  private final ComparisonStore comparisons;
  private final FitSummaryStore summaries = new FitSummaryStore();

  public BatchViews(Jdbi jdbi, BatchStore store, ComparisonStore comparisons) {
    this.jdbi = jdbi;
    this.store = store;
    this.comparisons = comparisons;
  }

  /** The internal id of a client's batch, by the job id it was given; empty when unknown or another client's. */
  public Optional<Long> owned(java.util.UUID publicId, String clientId) {
    return jdbi.withHandle(h -> store.findOwned(h, publicId, clientId));
  }

  public Optional<Map<String, Object>> status(long jobId) {
    return jdbi.withHandle(h -> store.find(h, jobId).map(b -> {
      BatchStore.EssayCounts counts = store.essayCounts(h, jobId);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("job_id", b.publicId().toString());
      m.put("batch_id", b.upstreamBatchId());
      m.put("cj_assessment_job_id", b.jobId()); // the id the batch's Kafka events carry
      m.put("state", b.state().name());
      m.put("outcome", b.outcome());
      m.put("failure_reason", b.failureReason());
      m.put("failure_detail", b.failureDetail());
      m.put("grade_scale", b.gradeScale());
      Map<String, Object> progress = new LinkedHashMap<>();
      progress.put("budget", b.budget());
      progress.put("wave", b.wave());
      progress.put("submitted", b.submitted());
      progress.put("judged", b.judged());
      progress.put("errored", b.errored());
      progress.put("pending", b.pending());
      progress.put("percent_of_budget_judged", b.budget() == 0 ? 100.0
          : Math.round(1000.0 * b.judged() / b.budget()) / 10.0);
      progress.put("last_score_change", b.lastScoreChange());
      m.put("progress", progress);
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("essays", counts.essays());
      c.put("students", counts.students());
      c.put("anchors", counts.anchors());
      c.put("duplicate_callbacks", b.duplicateCallbacks());
      c.put("late_callbacks", b.lateCallbacks());
      c.put("redispatches", b.redispatches());
      m.put("counts", c);
      m.put("created_at", b.createdAt());
      m.put("last_activity_at", b.lastActivityAt());
      m.put("completed_at", b.completedAt());
      summaries.find(h, jobId).flatMap(FitSummaryStore.FitSummary::stopReason).ifPresent(r -> m.put("stop_reason", r));
      return m;
    }));
  }

  /** Results of a completed batch: empty if unknown; {@link NotReady} if not completed. */
  public Optional<Results> results(long jobId) {
    return jdbi.withHandle(h -> store.find(h, jobId).map(b -> {
      if (b.state() != BatchState.COMPLETED) {
        throw new NotReady(b.publicId().toString(), b.state());
      }
      Map<String, BatchStore.GradeRow> grades = store.grades(h, jobId);
      Optional<FitSummaryStore.FitSummary> summary = summaries.find(h, jobId);
      // Students are ranked among students (1..n, as in the result event); anchors are unranked: one essay has one
      // rank wherever it is shown. Rows stay in the fit's order (best score first, anchors where they sit).
      List<Map<String, Object>> rows = new ArrayList<>();
      List<EssayRow> byFit = store.essays(h, jobId).stream()
          .sorted(java.util.Comparator.comparing(e -> e.rank() == null ? Integer.MAX_VALUE : e.rank()))
          .toList();
      int studentRank = 0;
      for (EssayRow e : byFit) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("essay_id", e.essayId());
        r.put("rank", e.isAnchor() || e.rank() == null ? null : ++studentRank);
        r.put("rank_interval_95", summary.map(s -> s.rankIntervals().get(e.essayId())).orElse(null));
        r.put("score", e.score());
        r.put("se", e.se());
        r.put("comparisons", e.comparisons());
        r.put("wins", e.wins());
        r.put("infit", e.infit());
        r.put("outfit", e.outfit());
        r.put("is_anchor", e.isAnchor());
        BatchStore.GradeRow g = grades.get(e.essayId());
        r.put("grade", e.isAnchor() ? e.anchorGrade() : g == null ? null : g.grade());
        r.put("grade_confidence", g == null ? null : g.confidence());
        r.put("confidence_label", g == null ? null : g.confidenceLabel());
        r.put("grade_probabilities", g == null ? null : g.probabilities());
        rows.add(r);
      }
      Map<String, Object> fitFigures = new LinkedHashMap<>();
      summary.flatMap(FitSummaryStore.FitSummary::stopReason).ifPresent(r -> fitFigures.put("stop_reason", r));
      summary.flatMap(FitSummaryStore.FitSummary::positionEffect).ifPresent(p -> fitFigures.put("position_effect", p));
      summary.filter(s -> !s.gradeBoundaries().isEmpty())
          .ifPresent(s -> fitFigures.put("grade_boundaries", s.gradeBoundaries()));
      comparisons.dominantModel(h, jobId).ifPresent(m -> {
        Map<String, Object> judge = new LinkedHashMap<>();
        judge.put("provider", m.provider());
        judge.put("model", m.model());
        fitFigures.put("judge", judge);
      });
      ComparisonStore.Usage used = comparisons.usage(h, jobId);
      Map<String, Object> usage = new LinkedHashMap<>();
      usage.put("input_tokens", used.promptTokens());
      usage.put("output_tokens", used.completionTokens());
      usage.put("cost_usd", used.cost()); // the judge's estimate from its configured prices per million tokens
      fitFigures.put("usage", usage);
      Map<String, Object> reliability = null;
      if (summary.isPresent()) {
        reliability = new LinkedHashMap<>();
        reliability.put("ssr", summary.get().scaleSeparationReliability());
        reliability.put("split_half", summary.get().splitHalfReliability().orElse(null));
        reliability.put("split_half_splits", summary.get().splitHalfSplits());
        reliability.put("split_half_by_judge", summary.get().splitHalfByJudge());
      }
      return new Results(b, rows, reliability, fitFigures);
    }));
  }

  /** The judged comparisons of a batch in request order (what its fit used). */
  public List<org.cjassessment.core.bt.Comparison> judged(long jobId) {
    return jdbi.withHandle(h -> comparisons.judged(h, jobId));
  }

  /** What a batch's answered comparisons used (tokens and cost as the judge reported them). */
  public ComparisonStore.Usage usage(long jobId) {
    return jdbi.withHandle(h -> comparisons.usage(h, jobId));
  }

  /**
   * The results of one batch: its row and one map per essay, best score first; students carry their rank among
   * students (1..n), anchors a null rank. {@link #students()} and {@link #anchors()} are the two lists apart.
   * {@code reliability}: SSR and split-half of the fit (null for batches finalized before they were recorded);
   * {@code fit}: stop_reason, position_effect and grade_boundaries where recorded (each absent otherwise), the
   * judge (provider, model) that answered most comparisons, and the tokens and estimated cost of the answers.
   */
  public record Results(BatchRow batch, List<Map<String, Object>> essays, Map<String, Object> reliability,
      Map<String, Object> fit) {

    public List<Map<String, Object>> students() {
      return essays.stream().filter(e -> !Boolean.TRUE.equals(e.get("is_anchor"))).toList();
    }

    public List<Map<String, Object>> anchors() {
      return essays.stream().filter(e -> Boolean.TRUE.equals(e.get("is_anchor"))).toList();
    }

    /** The students by rank, then the anchors best first: the order of the results CSV. */
    public List<Map<String, Object>> studentsThenAnchors() {
      List<Map<String, Object>> all = new ArrayList<>(students());
      all.addAll(anchors());
      return all;
    }
  }

  /** Results were asked for before the batch completed. */
  public static final class NotReady extends RuntimeException {
    public NotReady(String jobId, BatchState state) {
      super("job " + jobId + " is " + state + (state == BatchState.FAILED
          ? ": a failed batch has no results; its status (GET /api/v1/batches/" + jobId + ") says why"
          : "; results exist once it is COMPLETED"));
    }
  }
}
