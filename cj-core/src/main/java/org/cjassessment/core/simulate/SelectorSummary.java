package org.cjassessment.core.simulate;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.cjassessment.core.batch.StopReason;
import org.cjassessment.core.pairs.SelectorKind;

/**
 * What {@code cj simulate} prints per selector, over the seeds. Percentiles interpolate linearly between order
 * statistics; a seed that never reached the Spearman target counts as +∞ (so a percentile can be "not reached").
 * Means skip NaN (a figure that could not be computed for a seed) and say how many seeds they cover.
 *
 * @param reached seeds that reached the Spearman target within the budget
 * @param meanLeadingMinusTrue mean over seeds of (leading reliability − true reliability) at the stop: the bias of
 *     the figure we lead with
 * @param meanAbsLeadingMinusTrue mean absolute difference, per seed
 */
public record SelectorSummary(SelectorKind selector, int seeds, int reached, double toTargetMedian,
    double toTargetP10, double toTargetP90, double stopAppearancesMedian, double meanSsr, double meanSplitHalf,
    double meanLeading, double meanTrueReliability, double meanLeadingMinusTrue, double meanAbsLeadingMinusTrue,
    double meanSpearmanAtStop, double meanGradeExact, double meanGradeWithinOne, Map<StopReason, Integer> stops) {

  public static SelectorSummary of(SelectorKind selector, List<RunResult> runs) {
    double[] toTarget = runs.stream()
        .mapToDouble(r -> r.appearancesToTarget().orElse(Double.POSITIVE_INFINITY)).sorted().toArray();
    double[] atStop = runs.stream().mapToDouble(RunResult::appearancesAtStop).sorted().toArray();
    Map<StopReason, Integer> stops = new EnumMap<>(StopReason.class);
    runs.forEach(r -> stops.merge(r.stopReason(), 1, Integer::sum));
    return new SelectorSummary(selector, runs.size(),
        (int) runs.stream().filter(r -> r.appearancesToTarget().isPresent()).count(),
        percentile(toTarget, 0.5), percentile(toTarget, 0.1), percentile(toTarget, 0.9), percentile(atStop, 0.5),
        mean(runs, RunResult::ssr), mean(runs, RunResult::splitHalf), mean(runs, RunResult::leading),
        mean(runs, RunResult::trueReliability), mean(runs, r -> r.leading() - r.trueReliability()),
        mean(runs, r -> Math.abs(r.leading() - r.trueReliability())), mean(runs, RunResult::spearmanAtStop),
        mean(runs, RunResult::gradeExact), mean(runs, RunResult::gradeWithinOne), stops);
  }

  /** Linear interpolation between order statistics (R type 7); {@code sorted} ascending. */
  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    if (sorted[hi] == Double.POSITIVE_INFINITY) {
      return h == lo && sorted[lo] != Double.POSITIVE_INFINITY ? sorted[lo] : Double.POSITIVE_INFINITY;
    }
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  private static double mean(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
    return Arrays.stream(runs.stream().mapToDouble(f).toArray()).filter(Double::isFinite).average()
        .orElse(Double.NaN);
  }
}
