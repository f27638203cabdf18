package org.cjassessment.service.report;

import java.util.Locale;
import org.cjassessment.service.report.ReportDocument.PositionEffect;

/** Figures in plain words, for readers who do not know what a reliability coefficient is. */
final class Readings {

  private Readings() {}

  /**
   * What a reliability means for the order. The bands follow the CJ literature's usual reading (0.9 and above is
   * what high-stakes marking asks for; 0.7 is the lowest commonly reported as usable for ranking).
   */
  static String reliability(double r) {
    String figure = String.format(Locale.ROOT, "Reliability %.2f: ", r);
    if (r >= 0.9) {
      return figure + "a second set of comparisons would order these essays almost the same way.";
    }
    if (r >= 0.8) {
      return figure + "a second set of comparisons would order these essays much the same way; "
          + "neighbours in the ranking could swap.";
    }
    if (r >= 0.7) {
      return figure + "the broad order would hold with a second set of comparisons, "
          + "but many essays could move several places.";
    }
    if (r >= 0.5) {
      return figure + "only the rough shape (top, middle, bottom) is dependable; "
          + "more comparisons are needed before using the ranking.";
    }
    return figure + "the order is mostly noise; do not use it without more comparisons.";
  }

  /** What the judge's preference for a presentation slot means. */
  static String position(PositionEffect p) {
    double e = p.estimate();
    boolean significant = p.se().isPresent() && Math.abs(e) > 1.96 * p.se().getAsDouble();
    if (!significant) {
      return "The judge showed no clear preference for the essay shown first or second.";
    }
    String slot = e > 0 ? "first" : "second";
    return "The judge leaned towards the essay shown " + slot + "; presentation order was balanced and the fit "
        + "corrects for it, so the scores are not skewed by it.";
  }
}
