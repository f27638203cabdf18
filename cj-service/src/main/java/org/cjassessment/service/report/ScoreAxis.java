package org.cjassessment.service.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The chart's vertical axis: a linear map from logits to SVG pixels (higher score = higher on the page), over a
 * range that holds every 95 % interval and every grade boundary, with round tick values.
 */
record ScoreAxis(double min, double max, double top, double bottom) {

  /** z of a two-sided 95 % normal interval. */
  static final double Z95 = 1.959963984540054;

  ScoreAxis {
    if (!(max > min) || !(bottom > top)) {
      throw new IllegalArgumentException("axis needs min < max and top < bottom");
    }
  }

  /** An axis covering {@code values}, padded by 5 % each side; a single value gets ±1 logit. */
  static ScoreAxis covering(double[] values, double top, double bottom) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!Double.isFinite(lo)) {
      lo = -1;
      hi = 1;
    } else if (hi - lo < 1e-9) {
      lo -= 1;
      hi += 1;
    }
    double pad = (hi - lo) * 0.05;
    return new ScoreAxis(lo - pad, hi + pad, top, bottom);
  }

  /** Pixel y of a score. */
  double y(double score) {
    return bottom - (score - min) / (max - min) * (bottom - top);
  }

  /** Round tick values inside the range: steps of 1, 2 or 5 × 10^k, about {@code target} of them. */
  List<Double> ticks(int target) {
    double raw = (max - min) / Math.max(1, target);
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude;
    for (double m : new double[] {1, 2, 5, 10}) {
      step = m * magnitude;
      if (step >= raw) {
        break;
      }
    }
    List<Double> out = new ArrayList<>();
    // integer multiples of the step, rounded to its decimals: repeated addition would drift (0.30000000000000004)
    double scale = Math.pow(10, Math.max(0, -Math.floor(Math.log10(step))));
    for (long k = (long) Math.ceil(min / step - 1e-9); k * step <= max + 1e-9 * step; k++) {
      out.add(Math.round(k * step * scale) / scale + 0.0);
    }
    return out;
  }
}
