package org.cjassessment.core.grade;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Turns each essay's estimate into the posterior of its true ability given that the essays of the batch come from
 * one normal population (empirical Bayes): with the population variance v = var(θ̂) − mean SE² (what SSR calls the
 * true variance), an essay's true ability is N(m + s (θ̂ − m), s SE²) with s = v / (v + SE²) and m the mean of the
 * estimates.
 *
 * <p>Why: an estimate with SE 0.8 at the top of the class is more likely a good essay measured high than an
 * excellent one measured right, so grading θ̂ as if the true ability were N(θ̂, SE²) (a flat prior) puts too much
 * probability on the extreme grades. In simulation with known grades (GradeCalibrationSimulationTest) grading the
 * raw estimates said "most likely grade, 44 %" for grades that were right 36 % of the time even with the true
 * boundaries; with this posterior 37 % against 37 %. The anchors get the same treatment, so the boundaries and the
 * students are on one scale.
 *
 * <p>The population variance is floored at {@link #MIN_RELIABILITY} of the observed variance: at reliability 0 every
 * essay would collapse onto the mean, anchors of every grade tied, and the boundaries say nothing. Fewer than three
 * essays (no variance to speak of): no shrinkage.
 */
final class PopulationShrinkage {

  static final double MIN_RELIABILITY = 0.05;

  private static final PopulationShrinkage NONE = new PopulationShrinkage(0, Double.POSITIVE_INFINITY);

  private final double mean;
  private final double populationVariance;

  private PopulationShrinkage(double mean, double populationVariance) {
    this.mean = mean;
    this.populationVariance = populationVariance;
  }

  static PopulationShrinkage none() {
    return NONE;
  }

  static PopulationShrinkage of(Collection<AbilityEstimate> unordered) {
    // Summed in essay-id order, so the result does not depend on the input order even in the last bit.
    List<AbilityEstimate> estimates =
        unordered.stream().sorted(Comparator.comparing(AbilityEstimate::essayId)).toList();
    int n = estimates.size();
    if (n < 3) {
      return NONE;
    }
    double mean = 0;
    double squaredErrors = 0;
    for (AbilityEstimate e : estimates) {
      mean += e.ability() / n;
      squaredErrors += e.standardError() * e.standardError() / n;
    }
    double variance = 0;
    for (AbilityEstimate e : estimates) {
      variance += (e.ability() - mean) * (e.ability() - mean) / (n - 1);
    }
    if (!(variance > 0) || !Double.isFinite(variance) || !Double.isFinite(squaredErrors)) {
      return NONE;
    }
    return new PopulationShrinkage(mean, Math.max(variance - squaredErrors, MIN_RELIABILITY * variance));
  }

  /** The share of an essay's deviation from the mean that survives: v / (v + SE²). */
  double factor(double standardError) {
    if (Double.isInfinite(populationVariance)) {
      return 1;
    }
    return populationVariance / (populationVariance + standardError * standardError);
  }

  AbilityEstimate posterior(AbilityEstimate e) {
    double s = factor(e.standardError());
    if (s == 1) {
      return e;
    }
    return new AbilityEstimate(e.essayId(), mean + s * (e.ability() - mean), Math.sqrt(s) * e.standardError());
  }
}
