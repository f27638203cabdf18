package org.cjassessment.core.bt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cjassessment.core.judge.SimulatedJudgeModel;
import org.junit.jupiter.api.Test;

/**
 * Soft outcomes with known truth: a reported SE must be the SD of the estimate over repetitions of the judging.
 * One fixed batch (abilities and pairs), judged again and again by the simulated judge with fresh seeds; over the
 * replications the empirical variance of each essay's centred score is compared with its mean reported SE², and
 * SSR with the true reliability (squared correlation of the scores with the hidden abilities).
 */
class SoftOutcomeStandardErrorsTest {

  private static final int ESSAYS = 40;
  private static final int PER_ESSAY = 12;
  private static final int REPLICATIONS = 200;

  record Summary(double meanSquaredSe, double empiricalVariance, double ssr, double trueReliability,
      double dispersion) {
    double ratio() {
      return meanSquaredSe / empiricalVariance;
    }
  }

  @Test
  void softStandardErrorsAreTheSpreadOfTheEstimateOverRepetitions() {
    Summary soft = replicate(true, FitOptions.defaults());
    Summary hard = replicate(false, FitOptions.defaults());
    System.out.printf("soft: mean SE² %.4f, empirical variance %.4f (ratio %.3f), SSR %.3f, true %.3f, φ %.3f%n",
        soft.meanSquaredSe(), soft.empiricalVariance(), soft.ratio(), soft.ssr(), soft.trueReliability(),
        soft.dispersion());
    System.out.printf("hard: mean SE² %.4f, empirical variance %.4f (ratio %.3f), SSR %.3f, true %.3f, φ %.3f%n",
        hard.meanSquaredSe(), hard.empiricalVariance(), hard.ratio(), hard.ssr(), hard.trueReliability(),
        hard.dispersion());
    // 200 replications estimate each variance to ±10 %, the mean over 40 essays to a few per cent; the Laplace
    // approximation itself is good to ~10 % at 12 comparisons per essay. Without the dispersion the ratio is ≈ 3.
    assertThat(soft.ratio()).as("soft: mean SE² / empirical variance").isBetween(0.85, 1.15);
    assertThat(soft.ssr()).as("soft: SSR vs true reliability").isCloseTo(soft.trueReliability(), within(0.03));
    assertThat(soft.dispersion()).as("soft: Var(y) ≈ μ(1 − μ)/3 for this judge").isBetween(0.25, 0.4);
    // Hard outcomes: dispersion 1, whatever the data.
    assertThat(hard.dispersion()).isEqualTo(1.0);
  }

  @Test
  void hardOutcomesKeepTheBinomialStandardErrorsExactly() {
    List<Comparison> hard = judged(truth(), 7, false);
    FitResult fit = BradleyTerry.fit(hard, FitOptions.defaults());
    // The same data with a winner probability of exactly 1 are the same data: φ is 1, not estimated.
    assertThat(fit.dispersion()).isEqualTo(1.0);
    FitResult approximate = BradleyTerry.fit(hard, FitOptions.defaults().withExactStandardErrorLimit(0));
    assertThat(approximate.dispersion()).isEqualTo(1.0);
  }

  @Test
  void theDispersionScalesEveryPathAlike() {
    List<Comparison> soft = judged(truth(), 11, true);
    FitResult exact = BradleyTerry.fit(soft, FitOptions.defaults());
    FitResult approximate = BradleyTerry.fit(soft, FitOptions.defaults().withExactStandardErrorLimit(0));
    FitResult mle = BradleyTerry.fit(soft, FitOptions.plainMle());
    assertThat(exact.dispersion()).isBetween(0.2, 0.5);
    assertThat(approximate.dispersion()).isEqualTo(exact.dispersion());
    // The plain MLE's fitted probabilities are a little more extreme, so its Pearson statistic differs a little.
    assertThat(mle.dispersion()).isCloseTo(exact.dispersion(), within(0.2 * exact.dispersion()));
    ScoreCovariance covariance = exact.covariance().orElseThrow();
    double meanExact = 0;
    double meanApproximate = 0;
    for (int i = 0; i < ESSAYS; i++) {
      double se = exact.essays().get(i).standardError().getAsDouble();
      assertThat(covariance.variance(i)).isCloseTo(se * se, within(1e-12));
      meanExact += se * se / ESSAYS;
      meanApproximate += Math.pow(approximate.essays().get(i).standardError().getAsDouble(), 2) / ESSAYS;
    }
    // The dense covariance (entries from the scaled factor) agrees with the scaled variances.
    double[][] matrix = covariance.matrix();
    for (int i = 0; i < ESSAYS; i++) {
      assertThat(matrix[i][i]).isCloseTo(covariance.variance(i), within(1e-9));
    }
    assertThat(meanApproximate / meanExact).isBetween(0.9, 1.1); // unscaled, the ratio would be φ or 1/φ
    assertThat(exact.positionEffect().orElseThrow().standardError())
        .isCloseTo(approximate.positionEffect().orElseThrow().standardError(), within(1e-9));
  }

  private static Summary replicate(boolean soft, FitOptions options) {
    Map<String, Double> truth = truth();
    double[] sum = new double[ESSAYS];
    double[] sumSquares = new double[ESSAYS];
    double squaredSe = 0;
    double ssr = 0;
    double trueReliability = 0;
    double dispersion = 0;
    double[] trueAbilities = new double[ESSAYS];
    for (int i = 0; i < ESSAYS; i++) {
      trueAbilities[i] = truth.get(SimulatedComparisons.id(i, ESSAYS));
    }
    for (int rep = 0; rep < REPLICATIONS; rep++) {
      FitResult fit = BradleyTerry.fit(judged(truth, 1000 + rep, soft), options);
      for (int i = 0; i < ESSAYS; i++) {
        EssayEstimate e = fit.essays().get(i);
        sum[i] += e.score();
        sumSquares[i] += e.score() * e.score();
        squaredSe += Math.pow(e.standardError().getAsDouble(), 2) / ESSAYS;
      }
      ssr += fit.scaleSeparationReliability();
      trueReliability += SplitHalfReliabilityTest.trueReliability(trueAbilities, fit);
      dispersion += fit.dispersion();
    }
    double variance = 0;
    for (int i = 0; i < ESSAYS; i++) {
      double mean = sum[i] / REPLICATIONS;
      variance += (sumSquares[i] - REPLICATIONS * mean * mean) / (REPLICATIONS - 1) / ESSAYS;
    }
    return new Summary(squaredSe / REPLICATIONS, variance, ssr / REPLICATIONS, trueReliability / REPLICATIONS,
        dispersion / REPLICATIONS);
  }

  private static Map<String, Double> truth() {
    Random random = new Random(42);
    Map<String, Double> truth = new HashMap<>();
    for (int i = 0; i < ESSAYS; i++) {
      truth.put(SimulatedComparisons.id(i, ESSAYS), random.nextGaussian());
    }
    return truth;
  }

  /** The same pairs and presentation orders every time (fixed seed); the judge's seed varies. */
  private static List<Comparison> judged(Map<String, Double> truth, long judgeSeed, boolean soft) {
    SimulatedJudgeModel judge = SimulatedJudgeModel.calibrated(truth,
        SimulatedJudgeModel.Settings.defaults(judgeSeed));
    Random design = new Random(7);
    List<Comparison> out = new ArrayList<>();
    for (int k = 0; k < ESSAYS * PER_ESSAY / 2; k++) {
      int i = k % ESSAYS;
      int j = design.nextInt(ESSAYS - 1);
      j = j >= i ? j + 1 : j;
      String first = SimulatedComparisons.id(design.nextBoolean() ? i : j, ESSAYS);
      String second = SimulatedComparisons.id(first.equals(SimulatedComparisons.id(i, ESSAYS)) ? j : i, ESSAYS);
      SimulatedJudgeModel.Verdict v = judge.judge(first, second, "r" + k);
      out.add(soft ? Comparison.soft(first, second, v.probabilityFirstWins(), first, null)
          : v.firstWins() ? new Comparison(first, second, first, null) : new Comparison(second, first, first, null));
    }
    return out;
  }
}
