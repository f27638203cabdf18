package org.cjassessment.core.bt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SplitHalfReliabilityTest {

  /** The true reliability of a fit: the squared correlation of its scores with the abilities that made the data. */
  static double trueReliability(double[] truth, FitResult fit) {
    double[] scores = fit.essays().stream().mapToDouble(EssayEstimate::score).toArray();
    double r = SplitHalfReliability.pearson(truth, scores, truth.length);
    return r * r;
  }

  @Test
  void splitHalfMatchesTheTrueReliabilityInASimulation() {
    // Known truth: abilities N(0, sd²), random pairs, a judge that follows the model. Averaged over seeds, the
    // split-half figure must estimate the squared correlation of the full fit with the truth.
    for (double[] design : new double[][] {{100, 10, 1.0}, {100, 20, 1.0}, {60, 16, 1.5}}) {
      double splitHalf = 0;
      double truth = 0;
      double ssr = 0;
      int seeds = 8;
      for (int seed = 0; seed < seeds; seed++) {
        SimulatedComparisons sim =
            SimulatedComparisons.generate((int) design[0], (int) design[1], design[2], 0, 1000 + seed);
        List<Comparison> data = sim.withoutOrder();
        FitResult fit = BradleyTerry.fit(data, FitOptions.defaults());
        splitHalf += SplitHalfReliability.estimate(data, FitOptions.defaults(), 30, seed).reliability();
        truth += trueReliability(sim.trueAbilities(), fit);
        ssr += fit.scaleSeparationReliability();
      }
      System.out.printf("design %s: split-half %.3f, SSR %.3f, true %.3f%n", java.util.Arrays.toString(design),
          splitHalf / seeds, ssr / seeds, truth / seeds);
      assertThat(splitHalf / seeds).as("split-half vs true, design %s", java.util.Arrays.toString(design))
          .isCloseTo(truth / seeds, within(0.05));
    }
  }

  @Test
  void coinTossJudgementsHaveNoReliability() {
    Random random = new Random(5);
    List<Comparison> data = new ArrayList<>();
    for (int k = 0; k < 1000; k++) {
      int a = random.nextInt(100);
      int b = (a + 1 + random.nextInt(99)) % 100;
      data.add(Comparison.of(SimulatedComparisons.id(a, 100), SimulatedComparisons.id(b, 100)));
    }
    SplitHalfReliability result = SplitHalfReliability.estimate(data, FitOptions.defaults(), 30, 1);
    assertThat(result.reliability()).isLessThan(0.2);
    assertThat(result.meanHalfCorrelation()).isCloseTo(0, within(0.1));
  }

  @Test
  void deterministicForASeedAndSplitByJudgeWhenThereAreSeveral() {
    SimulatedComparisons sim = SimulatedComparisons.generate(40, 16, 1.5, 0, 3);
    List<Comparison> judged = new ArrayList<>();
    int k = 0;
    for (Comparison c : sim.withoutOrder()) {
      judged.add(new Comparison(c.winner(), c.loser(), null, "judge-" + (k++ % 6)));
    }
    SplitHalfReliability one = SplitHalfReliability.estimate(judged, FitOptions.defaults(), 20, 9);
    SplitHalfReliability two = SplitHalfReliability.estimate(judged, FitOptions.defaults(), 20, 9);
    assertThat(one).isEqualTo(two);
    assertThat(one.byJudge()).isTrue();
    assertThat(one.splits()).isEqualTo(20);
    assertThat(one.reliability()).isBetween(0.5, 1.0);
    assertThat(SplitHalfReliability.estimate(sim.withoutOrder(), FitOptions.plainMle(), 20, 9).byJudge()).isFalse();
  }
}
