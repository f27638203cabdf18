package org.cjassessment.service.report;

import java.util.List;
import org.cjassessment.service.report.ReportDocument.Essay;

/**
 * Essays the judge was inconsistent about: infit mean-square more than two standard deviations above the mean of
 * the batch (Pollitt's rule, the one CJ tools commonly apply) and above 1.3 (the usual Rasch bound for a productive
 * fit: in a batch the judge found easy every infit is small, and the 2-SD rule alone would flag ordinary essays).
 */
final class Misfits {

  static final double MIN_MISFIT_INFIT = 1.3;

  private Misfits() {}

  static double threshold(List<Essay> essays) {
    double[] infits = essays.stream().filter(e -> e.infit().isPresent()).mapToDouble(e -> e.infit().getAsDouble())
        .toArray();
    if (infits.length < 3) {
      return Double.POSITIVE_INFINITY;
    }
    double mean = 0;
    for (double v : infits) {
      mean += v;
    }
    mean /= infits.length;
    double ss = 0;
    for (double v : infits) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / (infits.length - 1));
    return Math.max(MIN_MISFIT_INFIT, mean + 2 * sd);
  }

  /** Ids of the misfitting essays, in the document's order. */
  static List<String> flagged(List<Essay> essays) {
    double threshold = threshold(essays);
    return essays.stream().filter(e -> e.infit().isPresent() && e.infit().getAsDouble() > threshold)
        .map(Essay::essayId).toList();
  }
}
