package org.cjassessment.core.bt;

import java.util.List;

/** Model-fit and reliability figures computed from a finished fit. */
final class FitStatistics {

  private FitStatistics() {}

  /**
   * Infit and outfit mean squares per essay (Rasch conventions; both ≈ 1 under the model, above ~1.3 misfit).
   * Per comparison z² = (x − p)² / (p(1 − p)); outfit = mean z²; infit = Σ(x − p)² / Σ p(1 − p). Aggregated per
   * record in closed form. NaN (reported as absent) for an essay without usable comparisons.
   */
  static double[][] infitOutfit(NewtonFit fit, ComparisonData data) {
    int n = data.essays();
    double[] squaredResidual = new double[n];
    double[] information = new double[n];
    double[] zSquared = new double[n];
    double[] count = new double[n];
    for (int r = 0; r < data.records(); r++) {
      double p = NewtonFit.sigmoid(fit.eta(fit.x, r)); // probability that a[r] wins
      double q = 1 - p;
      double total = data.n[r];
      double w = data.winsA[r];
      double l = total - w;
      double info = total * p * q;
      // From a's side: wins contribute (1 − p)², losses p². The same residuals from b's side.
      double sq = w * q * q + l * p * p;
      double z2 = info > 0 ? sq / (p * q) : 0;
      for (int essay : new int[] {data.a[r], data.b[r]}) {
        squaredResidual[essay] += sq;
        information[essay] += info;
        zSquared[essay] += z2;
        count[essay] += total;
      }
    }
    double[] infit = new double[n];
    double[] outfit = new double[n];
    for (int i = 0; i < n; i++) {
      infit[i] = information[i] > 0 ? squaredResidual[i] / information[i] : Double.NaN;
      outfit[i] = count[i] > 0 && information[i] > 0 ? zSquared[i] / count[i] : Double.NaN;
    }
    return new double[][] {infit, outfit};
  }

  /** SSR over identified essays with a standard error; 0 when fewer than two or the spread is nil. */
  static double scaleSeparationReliability(List<EssayEstimate> essays) {
    return scaleSeparationReliability(essays, 0);
  }

  /**
   * @param shrinkage the mean part of the squared SEs that is the prior's shrinkage, not sampling noise
   *     ({@link ShrinkageVariance}); 0 for plain MLE
   */
  static double scaleSeparationReliability(List<EssayEstimate> essays, double shrinkage) {
    double sum = 0;
    double squaredErrors = 0;
    int k = 0;
    for (EssayEstimate e : essays) {
      if (e.identified() && e.standardError().isPresent()) {
        sum += e.score();
        squaredErrors += e.standardError().getAsDouble() * e.standardError().getAsDouble();
        k++;
      }
    }
    if (k < 2) {
      return 0;
    }
    double mean = sum / k;
    double spread = 0;
    for (EssayEstimate e : essays) {
      if (e.identified() && e.standardError().isPresent()) {
        spread += (e.score() - mean) * (e.score() - mean);
      }
    }
    double observed = spread / (k - 1);
    if (!(observed > 0)) {
      return 0;
    }
    double meanSquaredError = squaredErrors / k;
    double ssr = (observed - Math.max(0, meanSquaredError - shrinkage)) / observed;
    if (shrinkage > 0) {
      // The sandwich counts only the MAP's sampling variance as error, a first-order reading that fails where the
      // data say almost nothing: an essay no comparison reached sits at the prior's mean with no sampling variance
      // at all, so one comparison in a batch of fifteen read SSR 1.000. The posterior reading of the same fit,
      // observed / (observed + mean posterior variance), counts that ignorance; it is the larger of the two whenever
      // the scores spread less than the prior (sd 3), so this cap leaves every ordinary batch as it was.
      ssr = Math.min(ssr, observed / (observed + meanSquaredError));
    }
    return Math.max(0, Math.min(1, ssr));
  }
}
