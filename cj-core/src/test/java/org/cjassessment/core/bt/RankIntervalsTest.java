package org.cjassessment.core.bt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RankIntervalsTest {

  @Test
  void intervalsHoldTheRankAndCoverTheTrueRankAboutNinetyFivePercentOfTheTime() {
    int covered = 0;
    int total = 0;
    for (int seed = 0; seed < 10; seed++) {
      SimulatedComparisons sim = SimulatedComparisons.generate(60, 14, 1.5, 0, 500 + seed);
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
    double coverage = (double) covered / total;
    System.out.printf("rank interval coverage of the true rank: %.3f%n", coverage);
    // A Laplace interval is approximate; the check is that it is neither much too narrow nor uselessly wide.
    assertThat(coverage).isBetween(0.88, 0.995);
  }

  @Test
  void deterministicForASeed() {
    SimulatedComparisons sim = SimulatedComparisons.generate(30, 10, 1.0, 0.3, 2);
    FitResult fit = BradleyTerry.fit(sim.comparisons(), FitOptions.defaults());
    assertThat(RankIntervals.of(fit, 200, 4)).isEqualTo(RankIntervals.of(fit, 200, 4));
  }
}
