package org.cjassessment.app.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankCorrelationTest {

  @Test
  void monotoneIsOneReversedIsMinusOne() {
    Map<String, Double> x = Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0);
    assertThat(RankCorrelation.spearman(x, Map.of("a", 10.0, "b", 20.0, "c", 25.0, "d", 100.0)).getAsDouble())
        .isEqualTo(1.0, within(1e-12));
    assertThat(RankCorrelation.spearman(x, Map.of("a", 4.0, "b", 3.0, "c", 2.0, "d", 1.0)).getAsDouble())
        .isEqualTo(-1.0, within(1e-12));
  }

  /** The textbook example (IQ vs hours of TV, Wikipedia "Spearman's rank correlation coefficient"): ρ = −29/165. */
  @Test
  void matchesTheTextbookExample() {
    double[] iq = {106, 100, 86, 101, 99, 103, 97, 113, 112, 110};
    double[] tv = {7, 27, 2, 50, 28, 29, 20, 12, 6, 17};
    Map<String, Double> x = new LinkedHashMap<>();
    Map<String, Double> y = new LinkedHashMap<>();
    for (int i = 0; i < iq.length; i++) {
      x.put("p" + i, iq[i]);
      y.put("p" + i, tv[i]);
    }
    assertThat(RankCorrelation.spearman(x, y).getAsDouble()).isEqualTo(-29.0 / 165, within(1e-12));
  }

  @Test
  void tiesShareTheirMeanRank() {
    assertThat(RankCorrelation.ranks(new double[] {5, 1, 5, 3})).containsExactly(3.5, 1, 3.5, 2);
  }

  @Test
  void onlyCommonIdsCountAndTooFewGiveNothing() {
    assertThat(RankCorrelation.spearman(Map.of("a", 1.0, "b", 2.0), Map.of("a", 1.0, "b", 2.0))).isEmpty();
    assertThat(RankCorrelation.spearman(Map.of("a", 1.0, "b", 2.0, "c", 3.0, "x", 9.0),
        Map.of("a", 1.0, "b", 2.0, "c", 3.0, "y", -9.0)).getAsDouble()).isEqualTo(1.0, within(1e-12));
  }
}
