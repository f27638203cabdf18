package org.cjassessment.core.bt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RankIntervalsTest {

  /**
   * Coverage of the true rank over simulated batches with known abilities, from dense to sparse and lopsided (where
   * many essays win or lose all their comparisons, so the "beats" graph is far from strongly connected).
   */
  @Test
  void intervalsHoldTheRankAndCoverTheTrueRankAboutNinetyFivePercentOfTheTime() {
    int[][] shapes = {{60, 14, 15}, {100, 10, 10}, {20, 8, 25}, {30, 20, 25}};
    for (int[] shape : shapes) {
      double coverage = coverage(shape[0], shape[1], shape[2] / 10.0, 12);
      System.out.printf("%d essays x %d comparisons, ability sd %.1f: coverage of the true rank %.3f%n", shape[0],
          shape[1], shape[2] / 10.0, coverage);
      // A Laplace interval is approximate: neither much too narrow nor uselessly wide (0.62 for 20 x 8 x 2.5 when
      // the draws were ranked by component under the default prior)
      assertThat(coverage).as("%d x %d, sd %.1f", shape[0], shape[1], shape[2] / 10.0).isBetween(0.91, 0.995);
    }
  }

  private static double coverage(int essays, int perEssay, double abilitySd, int seeds) {
    int covered = 0;
    int total = 0;
    for (int seed = 0; seed < seeds; seed++) {
      SimulatedComparisons sim = SimulatedComparisons.generate(essays, perEssay, abilitySd, 0, 500 + seed);
      FitResult fit = BradleyTerry.fit(sim.withoutOrder(), FitOptions.defaults());
      List<RankIntervals.RankInterval> intervals = RankIntervals.of(fit, 1000, seed);
      double[] truth = sim.trueAbilities();
      Integer[] order = IntStream.range(0, truth.length).boxed().toArray(Integer[]::new);
      Arrays.sort(order, Comparator.comparingDouble(i -> -truth[i]));
      int[] trueRank = new int[truth.length];
      for (int k = 0; k < order.length; k++) {
        trueRank[order[k]] = k + 1;
      }
      for (int i = 0; i < intervals.size(); i++) {
        RankIntervals.RankInterval interval = intervals.get(i);
        assertThat(interval.lower()).isLessThanOrEqualTo(interval.rank());
        assertThat(interval.upper()).isGreaterThanOrEqualTo(interval.rank());
        covered += interval.lower() <= trueRank[i] && trueRank[i] <= interval.upper() ? 1 : 0;
        total++;
      }
    }
    return (double) covered / total;
  }

  @Test
  void deterministicForASeed() {
    SimulatedComparisons sim = SimulatedComparisons.generate(30, 10, 1.0, 0.3, 2);
    FitResult fit = BradleyTerry.fit(sim.comparisons(), FitOptions.defaults());
    assertThat(RankIntervals.of(fit, 200, 4)).isEqualTo(RankIntervals.of(fit, 200, 4));
  }
}
