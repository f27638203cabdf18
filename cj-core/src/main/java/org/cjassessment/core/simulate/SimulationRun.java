package org.cjassessment.core.simulate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.cjassessment.core.batch.BatchSnapshot;
import org.cjassessment.core.batch.BatchState;
import org.cjassessment.core.batch.Decision;
import org.cjassessment.core.batch.Precision;
import org.cjassessment.core.batch.PrecisionTarget;
import org.cjassessment.core.batch.StopReason;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.EssayEstimate;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.core.grade.StudentGrade;
import org.cjassessment.core.judge.SimulatedJudgeModel;
import org.cjassessment.core.pairs.Pair;
import org.cjassessment.core.pairs.PairSelector;
import org.cjassessment.core.pairs.WaveRequest;
import org.cjassessment.core.progress.Correlation;
import org.cjassessment.core.progress.CurrentFit;

/**
 * Runs one simulated batch through the real decision policy, pair selector and fit, with the simulated judge
 * answering every request at once (every wave completes before the next decision, as in the service). Pure and
 * deterministic for its settings.
 */
public final class SimulationRun {

  private final SimulationSettings settings;
  private final Truth truth;
  private final SimulatedJudgeModel judge;

  public SimulationRun(SimulationSettings settings) {
    this.settings = settings;
    this.truth = Truth.draw(settings);
    this.judge = SimulatedJudgeModel.calibrated(truth.abilities(), new SimulatedJudgeModel.Settings(
        settings.agreement(), settings.positionBias(), 0, 0, 0, settings.seed()));
  }

  public RunResult run() {
    SimulationSettings s = settings;
    PairSelector selector = s.selector().selector();
    List<String> essays = truth.essays();
    int n = essays.size();
    List<Pair> history = new ArrayList<>();
    List<Comparison> judged = new ArrayList<>();
    CurrentFit current = null;
    Map<String, Double> lastScores = null;
    OptionalDouble change = OptionalDouble.empty();
    Precision precision = Precision.none();
    BatchState state = BatchState.RECEIVED;
    Trigger trigger = Trigger.INTAKE;
    RunResult stop = null;
    OptionalDouble crossing = OptionalDouble.empty();
    int perWave = s.policy().waveSize() > 0 ? s.policy().waveSize() : Math.max(1, n / 2);
    for (int wave = 1;; wave++) {
      if (stop == null) {
        BatchSnapshot snapshot = new BatchSnapshot(state, trigger, truth.students().size(), n, s.budget(),
            history.size(), judged.size(), 0, change, false, 0, precision);
        Decision decision = s.policy().decide(snapshot);
        if (decision instanceof Decision.Finalize f) {
          stop = measure(judged, judged.size(), f.stopReason());
        } else if (!(decision instanceof Decision.NextWave)) {
          throw new IllegalStateException("unexpected decision in a simulation: " + decision);
        }
      }
      if (stop != null && (crossing.isPresent() || current == null)) {
        break;
      }
      // The policy's own wave size (NextWave asks for the same); past the stop the waves continue alike.
      int pairs = Math.min(perWave, s.budget() - history.size());
      if (pairs <= 0) {
        break;
      }
      WaveRequest request = WaveRequest.of(essays, history, pairs, s.seed() * 1_000_003L + wave)
          .withCap(s.maxPerEssay())
          .withEstimate(current == null || !s.selector().adaptive() ? null : current.estimate());
      List<Pair> chosen = selector.select(request);
      if (chosen.isEmpty()) {
        if (stop == null) {
          stop = measure(judged, judged.size(), StopReason.APPEARANCE_CAP);
        }
        break;
      }
      for (int k = 0; k < chosen.size(); k++) {
        Pair p = chosen.get(k);
        SimulatedJudgeModel.Verdict v = judge.judge(p.first(), p.second(), wave + ":" + k);
        String winner = v.firstWins() ? p.first() : p.second();
        String loser = v.firstWins() ? p.second() : p.first();
        judged.add(new Comparison(winner, loser, p.first(), null));
      }
      history.addAll(chosen);
      current = needsGrades()
          ? CurrentFit.of(judged, essays, truth.anchorGrades(), s.scale(), s.priorSd(), CurrentFit.BETWEEN_WAVES)
          : CurrentFit.ungraded(judged, essays, truth.anchorGrades(), s.priorSd());
      Map<String, Double> scores = scores(current);
      if (crossing.isEmpty()
          && Correlation.spearman(studentScores(scores), truth.abilities()).orElse(0) >= s.spearmanTarget()) {
        crossing = OptionalDouble.of(appearances(judged.size()));
      }
      if (lastScores != null) {
        double largest = 0;
        for (Map.Entry<String, Double> e : scores.entrySet()) {
          largest = Math.max(largest, Math.abs(e.getValue() - lastScores.get(e.getKey())));
        }
        change = OptionalDouble.of(largest);
      }
      lastScores = scores;
      precision = stop == null && needsPrecision(judged.size())
          ? current.precision(s.selector().adaptive(), s.splits(), s.seed() + wave) : Precision.none();
      state = BatchState.COMPARING;
      trigger = Trigger.WAVE_COMPLETE;
    }
    if (stop == null) {
      stop = measure(judged, judged.size(), StopReason.BUDGET_SPENT);
    }
    return new RunResult(stop.selector(), stop.seed(), crossing, stop.appearancesAtStop(), stop.spearmanAtStop(),
        stop.ssr(), stop.splitHalf(), stop.leading(), stop.trueReliability(), stop.gradeExact(), stop.gradeWithinOne(),
        stop.stopReason());
  }

  /** Grades between waves serve the adaptive selector (grade doubt) and a grade-share target only. */
  private boolean needsGrades() {
    return settings.selector().adaptive() || settings.policy().precisionTarget().gradeShare() > 0;
  }

  /** The precision figures cost split-half fits: only compute them when the policy can use them. */
  private boolean needsPrecision(int judgedCount) {
    PrecisionTarget target = settings.policy().precisionTarget();
    return target.active() && appearances(judgedCount) >= target.minAppearances();
  }

  private double appearances(int comparisons) {
    return 2.0 * comparisons / truth.abilities().size();
  }

  /** The figures at the stop, from a fit with the published grade settings. */
  private RunResult measure(List<Comparison> judged, int judgedCount, StopReason reason) {
    SimulationSettings s = settings;
    CurrentFit current = judged.isEmpty() ? null
        : CurrentFit.of(judged, truth.essays(), truth.anchorGrades(), s.scale(), s.priorSd());
    if (current == null) {
      return new RunResult(s.selector(), s.seed(), OptionalDouble.empty(), 0, Double.NaN, 0, Double.NaN, 0,
          Double.NaN, Double.NaN, Double.NaN, reason);
    }
    Map<String, Double> students = studentScores(scores(current));
    double spearman = Correlation.spearman(students, truth.abilities()).orElse(Double.NaN);
    double r = Correlation.pearson(students, truth.abilities()).orElse(0);
    double ssr = current.scaleSeparationReliability();
    double splitHalf = current.splitHalf(s.selector().adaptive(), s.splits(), s.seed() ^ 0x5A17L).orElse(Double.NaN);
    double leading = s.selector().adaptive() ? splitHalf : ssr;
    double exact = Double.NaN;
    double withinOne = Double.NaN;
    if (current.grades().isPresent()) {
      GradeScale scale = s.scale();
      int hits = 0;
      int near = 0;
      List<StudentGrade> graded = current.grades().get().students();
      for (StudentGrade g : graded) {
        int distance = Math.abs(scale.rankOf(g.mostLikelyGrade()) - scale.rankOf(truth.grades().get(g.essayId())));
        hits += distance == 0 ? 1 : 0;
        near += distance <= 1 ? 1 : 0;
      }
      exact = (double) hits / graded.size();
      withinOne = (double) near / graded.size();
    }
    return new RunResult(s.selector(), s.seed(), OptionalDouble.empty(), appearances(judgedCount), spearman, ssr,
        splitHalf, leading, r * r, exact, withinOne, reason);
  }

  private static Map<String, Double> scores(CurrentFit current) {
    Map<String, Double> scores = new HashMap<>();
    for (EssayEstimate e : current.fit().essays()) {
      scores.put(e.essayId(), e.score());
    }
    return scores;
  }

  private Map<String, Double> studentScores(Map<String, Double> all) {
    Map<String, Double> students = new java.util.TreeMap<>();
    for (String id : truth.students()) {
      students.put(id, all.get(id));
    }
    return students;
  }
}
