package org.cjassessment.app;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.cjassessment.core.simulate.SelectorSummary;
import org.cjassessment.core.simulate.SimulationSettings;

/** The text and JSON rows of {@code cj simulate}. */
final class SimulationText {

  private SimulationText() {}

  static void write(PrintWriter out, SimulationSettings s, int seeds, List<SelectorSummary> summaries, double seconds,
      int threads) {
    out.printf(Locale.ROOT, "%d students + %d anchors, judge agreement %.2f, position bias %+.2f, %d seeds, budget %s"
        + " appearances/essay, cap %s, stop at reliability %s%n", s.students(), s.anchors(), s.agreement(),
        s.positionBias(), seeds, SimulateCommand.f(s.budgetPerEssay()),
        s.maxPerEssay() == 0 ? "none" : Integer.toString(s.maxPerEssay()),
        s.policy().precisionTarget().reliability() == 0 ? "off"
            : SimulateCommand.f(s.policy().precisionTarget().reliability()));
    out.println("appearances per essay = comparisons x 2 / essays (students + anchors); "
        + "leading reliability = split-half for adaptive, SSR otherwise; means over seeds");
    out.println();
    for (SelectorSummary m : summaries) {
      out.printf(Locale.ROOT, "%s%n", m.selector().id());
      out.printf(Locale.ROOT, "  to Spearman >= %.2f: median %s (p10 %s, p90 %s) appearances/essay, reached in %d/%d%n",
          s.spearmanTarget(), SimulateCommand.f(m.toTargetMedian()), SimulateCommand.f(m.toTargetP10()),
          SimulateCommand.f(m.toTargetP90()), m.reached(), m.seeds());
      out.printf(Locale.ROOT, "  at the stop: median %s appearances/essay, Spearman %s%n",
          SimulateCommand.f(m.stopAppearancesMedian()), SimulateCommand.f(m.meanSpearmanAtStop()));
      out.printf(Locale.ROOT, "  reliability: SSR %s, split-half %s, true %s; leading - true %s (mean |.| %s)%n",
          SimulateCommand.f(m.meanSsr()), SimulateCommand.f(m.meanSplitHalf()),
          SimulateCommand.f(m.meanTrueReliability()), signed(m.meanLeadingMinusTrue()),
          SimulateCommand.f(m.meanAbsLeadingMinusTrue()));
      out.printf(Locale.ROOT, "  grades: exact %s, within one %s%n", SimulateCommand.f(m.meanGradeExact()),
          SimulateCommand.f(m.meanGradeWithinOne()));
      out.printf(Locale.ROOT, "  stop reasons: %s%n", m.stops().entrySet().stream()
          .map(e -> e.getKey().id() + " " + e.getValue()).collect(Collectors.joining(", ")));
    }
    out.printf(Locale.ROOT, "%n%.1f s on %d threads%n", seconds, threads);
  }

  static Map<String, Object> row(SelectorSummary m) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("selector", m.selector().id());
    row.put("seeds", m.seeds());
    row.put("reached", m.reached());
    row.put("appearances_to_target_median", number(m.toTargetMedian()));
    row.put("appearances_to_target_p10", number(m.toTargetP10()));
    row.put("appearances_to_target_p90", number(m.toTargetP90()));
    row.put("appearances_at_stop_median", number(m.stopAppearancesMedian()));
    row.put("spearman_at_stop", number(m.meanSpearmanAtStop()));
    row.put("ssr", number(m.meanSsr()));
    row.put("split_half", number(m.meanSplitHalf()));
    row.put("leading_reliability", number(m.meanLeading()));
    row.put("true_reliability", number(m.meanTrueReliability()));
    row.put("leading_minus_true", number(m.meanLeadingMinusTrue()));
    row.put("abs_leading_minus_true", number(m.meanAbsLeadingMinusTrue()));
    row.put("grade_exact", number(m.meanGradeExact()));
    row.put("grade_within_one", number(m.meanGradeWithinOne()));
    Map<String, Integer> stops = new LinkedHashMap<>();
    m.stops().forEach((k, v) -> stops.put(k.id(), v));
    row.put("stop_reasons", stops);
    return row;
  }

  /** JSON has no infinity: a percentile that was not reached is null. */
  private static Double number(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static String signed(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.3f", v);
  }
}
