package org.cjassessment.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.cjassessment.core.batch.BatchState;
import org.cjassessment.core.batch.Outcome;
import org.cjassessment.core.batch.StopReason;
import org.cjassessment.core.bt.BradleyTerry;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.FitOptions;
import org.cjassessment.core.bt.FitResult;
import org.cjassessment.core.bt.SimulatedComparisons;
import org.cjassessment.core.bt.SplitHalfReliability;
import org.cjassessment.core.grade.AbilityEstimate;
import org.cjassessment.core.grade.GradeProjection;
import org.cjassessment.core.grade.GradeProjector;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.core.grade.StudentGrade;
import org.cjassessment.outbox.OutboxMessage;
import org.cjassessment.service.ServiceSettings;
import org.cjassessment.service.batch.BatchRow;
import org.cjassessment.service.batch.EventFactory;
import org.cjassessment.service.batch.FinalScores;

/**
 * The {@code huleedu.assessment.result.published.v1} event of a large batch, built by the service's own code path
 * ({@link EventFactory#result}, so its rounding and field set are the production ones) from a realistic fit: UUID
 * essay ids as upstream sends them, ~10 simulated comparisons per essay, two anchors per grade of the scale, the
 * default prior and grade projection. What {@code cj bench event-sizes} measures and what the broker test publishes.
 */
final class LargeResultEvent {

  static final int COMPARISONS_PER_ESSAY = 10;

  private LargeResultEvent() {}

  /**
   * @param students student essays in the event (anchors come on top: two per grade)
   * @return the outbox message as the finalizer would append it
   */
  static OutboxMessage of(int students, GradeScale scale, long seed) {
    int anchors = 2 * scale.grades().size();
    int essays = students + anchors;
    SimulatedComparisons simulated = SimulatedComparisons.generate(essays, COMPARISONS_PER_ESSAY, 1.5, 0, seed);
    Random random = new Random(seed);
    Map<String, String> uuids = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < essays; i++) {
      String uuid = new UUID(random.nextLong(), random.nextLong()).toString();
      uuids.put(SimulatedComparisons.id(i, essays), uuid);
      ids.add(uuid);
    }
    List<Comparison> comparisons = simulated.comparisons().stream().map(c -> new Comparison(uuids.get(c.winner()),
        uuids.get(c.loser()), uuids.get(c.firstShown()), "judge-" + random.nextInt(4))).toList();
    // Anchors at evenly spaced quantiles of the true abilities, graded by quantile (lowest grade at the bottom).
    Integer[] byAbility = new Integer[essays];
    for (int i = 0; i < essays; i++) {
      byAbility[i] = i;
    }
    double[] truth = simulated.trueAbilities();
    java.util.Arrays.sort(byAbility, (a, b) -> Double.compare(truth[a], truth[b]));
    Map<String, String> anchorGrades = new TreeMap<>();
    for (int k = 0; k < anchors; k++) {
      int position = (int) ((k + 0.5) * essays / anchors);
      anchorGrades.put(ids.get(byAbility[position]), scale.grades().get(k / 2));
    }
    FitOptions options = FitOptions.defaults();
    FitResult fit = BradleyTerry.fit(comparisons, ids, options);
    List<AbilityEstimate> estimates = fit.essays().stream().map(e -> new AbilityEstimate(e.essayId(), e.score(),
        e.standardError().orElse(FitOptions.DEFAULT_PRIOR_SD))).toList();
    GradeProjection projection = GradeProjector.withDefaults().project(scale, estimates, anchorGrades);
    Map<String, StudentGrade> grades = new LinkedHashMap<>();
    if (projection instanceof GradeProjection.Projected p) {
      p.students().forEach(g -> grades.put(g.essayId(), g));
    }
    // Five splits, not fifty: the figure's value does not change the event's size.
    FinalScores scores = new FinalScores(scale, fit, fit.ranking().stream()
        .filter(e -> !anchorGrades.containsKey(e.essayId())).toList(), grades, anchorGrades,
        SplitHalfReliability.estimate(comparisons, options, 5, seed));
    Instant now = Instant.parse("2026-11-30T03:00:00Z");
    BatchRow batch = new BatchRow(1234, "bos-" + students, new UUID(seed, students), BatchState.COMPLETED,
        Outcome.COMPLETE_BUDGET_EXHAUSTED, null, null, scale.id(), comparisons.size(), 5, comparisons.size(),
        comparisons.size(), 0, 0, 0, 0, null, null, "user-1", "org-1", "assignment-1", "ENG5", "sv", "{}",
        now.minusSeconds(3_600), now, now, new UUID(students, seed), "client-1");
    return new EventFactory(ServiceSettings.defaults()).result(batch, Outcome.COMPLETE_BUDGET_EXHAUSTED,
        StopReason.BUDGET_SPENT, scores,
        Optional.of(new org.cjassessment.service.batch.ComparisonStore.JudgeModel("openai", "gpt-5-mini")), now);
  }
}
