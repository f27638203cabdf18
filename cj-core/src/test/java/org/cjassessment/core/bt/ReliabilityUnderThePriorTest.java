package org.cjassessment.core.bt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * SSR under the default prior against plain MLE and against the truth (issue 7 §1). Simulated batches with known
 * abilities N(0, sd²), random pairs, a judge that follows the model; only strongly connected batches (where the
 * plain MLE exists). Per design, the mean over batches of: SSR as reported under the prior (shrinkage part of the
 * posterior variance not counted as error, {@link ShrinkageVariance}); SSR from the full posterior variances (what
 * was reported before); an EAP-style var(θ̂)/(var(θ̂) + mean SE²); the plain MLE's SSR; and the true reliability
 * (squared correlation of the scores with the truth) of both fits.
 */
class ReliabilityUnderThePriorTest {

  record Row(double mapSsr, double posteriorSsr, double eap, double mleSsr, double trueMap, double trueMle,
      double largestGap, int batches) {}

  static Row measure(int essays, int perEssay, double sd, int seeds) {
    double mapSsr = 0;
    double posteriorSsr = 0;
    double eap = 0;
    double mleSsr = 0;
    double trueMap = 0;
    double trueMle = 0;
    double largestGap = 0;
    int k = 0;
    for (int seed = 0; seed < seeds; seed++) {
      SimulatedComparisons sim = SimulatedComparisons.generate(essays, perEssay, sd, 0, 7000 + seed);
      FitResult mle = BradleyTerry.fit(sim.withoutOrder(), FitOptions.plainMle());
      if (mle.identification() != Identification.MLE_STRONGLY_CONNECTED) {
        continue;
      }
      FitResult map = BradleyTerry.fit(sim.withoutOrder(), FitOptions.defaults());
      double[] scores = map.essays().stream().mapToDouble(EssayEstimate::score).toArray();
      double variance = variance(scores);
      double meanSquaredSe = map.essays().stream()
          .mapToDouble(e -> e.standardError().getAsDouble() * e.standardError().getAsDouble()).average()
          .orElseThrow();
      mapSsr += map.scaleSeparationReliability();
      posteriorSsr += Math.max(0, (variance - meanSquaredSe) / variance);
      eap += variance / (variance + meanSquaredSe);
      mleSsr += mle.scaleSeparationReliability();
      trueMap += SplitHalfReliabilityTest.trueReliability(sim.trueAbilities(), map);
      trueMle += SplitHalfReliabilityTest.trueReliability(sim.trueAbilities(), mle);
      largestGap = Math.max(largestGap, Math.abs(map.scaleSeparationReliability() - mle.scaleSeparationReliability()));
      k++;
    }
    return new Row(mapSsr / k, posteriorSsr / k, eap / k, mleSsr / k, trueMap / k, trueMle / k, largestGap, k);
  }

  @Test
  void underTheDefaultPriorSsrMatchesPlainMleAndIsCloserToTheTruth() {
    for (double[] design : new double[][] {
        {20, 10, 1.0}, {20, 14, 1.0}, {20, 18, 1.0}, {40, 10, 1.0}, {40, 14, 1.0}, {40, 18, 1.0},
        {20, 10, 1.5}, {20, 14, 1.5}, {20, 18, 1.5}}) {
      Row r = measure((int) design[0], (int) design[1], design[2], 100);
      System.out.printf("n %d × %d per essay, sd %.1f (%d connected batches): SSR %.3f (before: %.3f, EAP-style"
          + " %.3f), plain MLE %.3f (largest gap %.3f) | true: prior %.3f, MLE %.3f%n", (int) design[0],
          (int) design[1], design[2], r.batches(), r.mapSsr(), r.posteriorSsr(), r.eap(), r.mleSsr(),
          r.largestGap(), r.trueMap(), r.trueMle());
      String what = String.format("n %d × %d, sd %.1f", (int) design[0], (int) design[1], design[2]);
      assertThat(r.batches()).as(what).isGreaterThanOrEqualTo(10);
      // Single batches at 10–14 comparisons per essay differ by up to ~0.03 (0.011 at 18): the plain MLE's own
      // small-sample spread (outward bias) moves its SSR, the average stays within 0.01.
      assertThat(r.largestGap()).as("every batch: SSR under the prior vs plain MLE, " + what)
          .isLessThan(design[1] >= 18 ? 0.015 : 0.03);
      assertThat(r.mapSsr()).as("mean SSR under the prior vs plain MLE, " + what).isCloseTo(r.mleSsr(), within(0.01));
      // Closer to the truth than the posterior-variance SSR, and not above it (neither flatters).
      assertThat(Math.abs(r.mapSsr() - r.trueMap())).as(what)
          .isLessThanOrEqualTo(Math.abs(r.posteriorSsr() - r.trueMap()));
      assertThat(r.mapSsr()).as(what).isLessThan(r.trueMap() + 0.01);
    }
  }

  @Test
  void essaysNoComparisonReachedCountAsUnknownNotAsPerfectlyMeasured() {
    // A batch of fifteen essays after its first comparison: the sandwich alone read SSR 1.000 (thirteen essays at
    // the prior's mean with no sampling variance). Two comparisons, three, a chain: all still know next to nothing.
    List<String> essays = IntStream.range(0, 15).mapToObj(i -> "e" + i).toList();
    for (int judged = 1; judged <= 4; judged++) {
      List<Comparison> comparisons = new ArrayList<>();
      for (int c = 0; c < judged; c++) {
        comparisons.add(new Comparison(essays.get(c), essays.get(c + 1), essays.get(c), null));
      }
      FitResult fit = BradleyTerry.fit(comparisons, essays, FitOptions.defaults());
      assertThat(fit.scaleSeparationReliability()).as("%d comparisons among 15 essays", judged).isLessThan(0.1);
    }
  }

  @Test
  void largeBatchesEstimateTheCorrectionByProbesAndAgreeWithTheExactSum() {
    SimulatedComparisons sim = SimulatedComparisons.generate(400, 10, 1.0, 0, 11);
    FitResult fit = BradleyTerry.fit(sim.withoutOrder(), FitOptions.defaults());
    ScoreCovariance covariance = fit.covariance().orElseThrow();
    double lambda = 1 / 9.0;
    double exact = 0;
    double[][] c = covariance.matrix();
    for (double[] row : c) {
      for (double v : row) {
        exact += v * v;
      }
    }
    exact *= lambda / 400;
    assertThat(ShrinkageVariance.meanCorrection(covariance, lambda, 1)).isCloseTo(exact, within(0.05 * exact));
    // times(): the factor's product equals the dense matrix's.
    double[] z = new double[400];
    z[3] = 1;
    z[77] = -2;
    double[] y = covariance.times(z);
    for (int i = 0; i < 400; i += 37) {
      assertThat(y[i]).isCloseTo(c[i][3] - 2 * c[i][77], within(1e-12));
    }
  }

  static double variance(double[] x) {
    double mean = 0;
    for (double v : x) {
      mean += v / x.length;
    }
    double s = 0;
    for (double v : x) {
      s += (v - mean) * (v - mean);
    }
    return s / (x.length - 1);
  }
}
