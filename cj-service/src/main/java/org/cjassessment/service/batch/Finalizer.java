package org.cjassessment.service.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cjassessment.core.batch.FailureReason;
import org.cjassessment.core.batch.Outcome;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.core.bt.BradleyTerry;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.EssayEstimate;
import org.cjassessment.core.bt.FitOptions;
import org.cjassessment.core.bt.FitResult;
import org.cjassessment.core.events.AssessmentResult;
import org.cjassessment.core.events.CjAssessmentCompleted;
import org.cjassessment.core.events.CjAssessmentFailed;
import org.cjassessment.core.events.EventKind;
import org.cjassessment.core.events.ResourceConsumption;
import org.cjassessment.core.events.SystemMetadata;
import org.cjassessment.core.grade.AbilityEstimate;
import org.cjassessment.core.grade.GradeProbability;
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
 * lock): the events exist if and only if the terminal state does.
 */
public final class Finalizer {

  private final BatchStore store;
  private final ComparisonStore comparisons;
  private final EventFactory events;
  private final OutboxStore outbox;
  private final ServiceSettings settings;
  private final GradeProjector projector = GradeProjector.withDefaults();

  public Finalizer(BatchStore store, ComparisonStore comparisons, EventFactory events, OutboxStore outbox,
      ServiceSettings settings) {
    this.store = store;
    this.comparisons = comparisons;
    this.events = events;
    this.outbox = outbox;
    this.settings = settings;
  }

  public void complete(Handle h, BatchRow batch, Outcome outcome, Trigger trigger, Instant now) {
    List<EssayRow> essays = store.essays(h, batch.id());
    List<Comparison> judged = comparisons.judged(h, batch.id());
    List<String> ids = essays.stream().map(EssayRow::essayId).toList();
    FitResult fit = BradleyTerry.fit(judged, ids, FitOptions.defaults().withPriorSd(settings.priorSd()));
    store.saveScores(h, batch.id(), fit.essays());
    GradeScale scale = GradeScale.byId(batch.gradeScale());
    Map<String, String> anchorGrades = new TreeMap<>();
    essays.stream().filter(EssayRow::isAnchor).forEach(e -> anchorGrades.put(e.essayId(), e.anchorGrade()));
    List<AbilityEstimate> estimates = fit.essays().stream()
        .map(e -> new AbilityEstimate(e.essayId(), e.score(), e.standardError().orElse(settings.priorSd() > 0
            ? settings.priorSd() : 10.0)))
        .toList();
    GradeProjection projection = projector.project(scale, estimates, anchorGrades);
    Map<String, StudentGrade> grades = new LinkedHashMap<>();
    if (projection instanceof GradeProjection.Projected p) {
      for (StudentGrade g : p.students()) {
        grades.put(g.essayId(), g);
        store.saveGrade(h, batch.id(), g.essayId(), scale.id(), g.mostLikelyGrade(), g.confidence(),
            g.confidenceLabel().name(), Json.write(probabilities(g)));
      }
    }
    store.complete(h, batch.id(), outcome, trigger, now);

    List<EssayEstimate> students = fit.ranking().stream().filter(e -> !anchorGrades.containsKey(e.essayId()))
        .toList();
    String upstream = batch.upstreamBatchId();
    outbox.append(h, events.batchEvent(EventKind.COMPLETED, batch, "cj_batch", upstream,
        completed(batch, students, now), now));
    outbox.append(h, events.batchEvent(EventKind.RESULT_PUBLISHED, batch, "assessment_result", batch.jobId(),
        result(h, batch, outcome, fit, students, grades, anchorGrades, scale, now), now));
    outbox.append(h, events.batchEvent(EventKind.RESOURCE_CONSUMPTION, batch, "resource_consumption", upstream,
        new ResourceConsumption("resource.consumption.reported", upstream, "batch", null, now, batch.userId(),
            batch.orgId(), "cj_comparison", judged.size(), settings.sourceService(), batch.jobId(), now), now));
  }

  public void fail(Handle h, BatchRow batch, FailureReason reason, String detail, Trigger trigger, Instant now) {
    store.fail(h, batch.id(), reason, detail, trigger, now);
    Map<String, Object> errorInfo = new LinkedHashMap<>();
    errorInfo.put("error_code", reason.name());
    errorInfo.put("error_message", detail);
    errorInfo.put("error_type", "batch_failure");
    Map<String, Object> context = new LinkedHashMap<>(); // ordered: the stored envelope bytes are reproducible
    context.put("trigger", trigger.name());
    context.put("submitted", batch.submitted());
    context.put("judged", batch.judged());
    context.put("errored", batch.errored());
    context.put("budget", batch.budget());
    errorInfo.put("context", context);
    String upstream = batch.upstreamBatchId();
    CjAssessmentFailed payload = new CjAssessmentFailed("cj_assessment.failed", upstream, "batch", null, now,
        "failed_critically", new SystemMetadata(upstream, "batch", null, now, "failed", batch.createdAt(), now,
            "cj_assessment.failed", errorInfo), batch.jobId());
    outbox.append(h, events.batchEvent(EventKind.FAILED, batch, "cj_batch", upstream, payload, now));
  }

  private CjAssessmentCompleted completed(BatchRow batch, List<EssayEstimate> students, Instant now) {
    List<String> successful = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    boolean single = students.size() == 1;
    for (EssayEstimate e : students) {
      // An essay no judge ever placed has no result, except the lone essay of a one-essay batch.
      if (single || e.comparisons() > 0) {
        successful.add(e.essayId());
      } else {
        failed.add(e.essayId());
      }
    }
    String upstream = batch.upstreamBatchId();
    return new CjAssessmentCompleted("cj_assessment.completed", upstream, "batch", null, now,
        successful.isEmpty() ? "failed_critically" : "completed_successfully",
        // error_info is a dict upstream (default {}): null would fail an upstream consumer's validation
        new SystemMetadata(upstream, "batch", null, now, "completed", batch.createdAt(), now,
            "cj_assessment.completed", Map.of()),
        batch.jobId(),
        new CjAssessmentCompleted.ProcessingSummary(students.size(), successful.size(), failed.size(), successful,
            failed, seconds(batch.createdAt(), now), single));
  }

  private AssessmentResult result(Handle h, BatchRow batch, Outcome outcome, FitResult fit,
      List<EssayEstimate> students, Map<String, StudentGrade> grades, Map<String, String> anchorGrades,
      GradeScale scale, Instant now) {
    List<AssessmentResult.EssayResult> results = new ArrayList<>();
    int rank = 0;
    for (EssayEstimate e : students) {
      StudentGrade g = grades.get(e.essayId());
      String letter = g == null ? "U" : g.mostLikelyGrade();
      double normalized = g == null ? 0.0 : scale.normalizedScore(letter);
      Map<String, Double> probabilities = g == null ? null : probabilities(g);
      results.add(new AssessmentResult.EssayResult(e.essayId(), letter, normalized,
          g == null ? 0.0 : g.confidence(), g == null ? "LOW" : g.confidenceLabel().name(), e.score(),
          BatchStore.boxed(e.standardError()), ++rank, false, null, probabilities, null, null));
    }
    Map<String, Integer> distribution = new LinkedHashMap<>();
    for (String grade : scale.grades()) {
      distribution.put(grade, 0);
    }
    anchorGrades.values().forEach(g -> distribution.merge(g, 1, Integer::sum));
    // model_used / model_provider are required strings upstream (RAS rejects null): the judge that answered most
    // comparisons, else what the request asked for, else "unknown" (e.g. a one-essay batch judged nothing).
    ComparisonStore.JudgeModel model = comparisons.dominantModel(h, batch.id())
        .orElse(new ComparisonStore.JudgeModel(null, null));
    Map<String, Object> overrides = WaveDispatcher.RequestContext.of(batch).llmConfigOverrides();
    String provider = firstNonNull(model.provider(), overrides.get("provider_override"));
    String modelUsed = firstNonNull(model.model(), overrides.get("model_override"));
    Object temperature = overrides.get("temperature_override");
    AssessmentResult.Metadata metadata = new AssessmentResult.Metadata(anchorGrades.size(),
        anchorGrades.isEmpty() ? "default" : "anchor", anchorGrades.isEmpty() ? Map.of() : distribution,
        fit.comparisons(), seconds(batch.createdAt(), now),
        temperature instanceof Number t ? t.doubleValue() : null, batch.assignmentId(), batch.courseCode(),
        scale.id(), fit.scaleSeparationReliability(), outcome.name());
    String upstream = batch.upstreamBatchId();
    return new AssessmentResult("assessment.result.published", upstream, "batch", null, now, upstream,
        batch.jobId(), batch.assignmentId(), "cj_assessment", modelUsed, provider, null, now, results, metadata);
  }

  private static String firstNonNull(String observed, Object requested) {
    if (observed != null) {
      return observed;
    }
    return requested instanceof String s && !s.isBlank() ? s : "unknown";
  }

  private static Map<String, Double> probabilities(StudentGrade g) {
    Map<String, Double> map = new LinkedHashMap<>();
    for (GradeProbability p : g.probabilities()) {
      map.put(p.grade(), p.probability());
    }
    return map;
  }

  private static double seconds(Instant from, Instant to) {
    return Math.round(Duration.between(from, to).toMillis() / 10.0) / 100.0;
  }
}
