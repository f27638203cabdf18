package org.cjassessment.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CorrelationTest {

  @Test
  void spearmanUsesMeanRanksForTiesLikeR() {
    // Mean ranks (1, 2.5, 2.5, 4, 5) and (2, 1, 4, 3, 5): r = 6.5 / √95 = 0.6668859
    // (R: cor(c(1,2,2,3,5), c(2,1,4,3,5), method = "spearman"))
    Map<String, Double> x = Map.of("a", 1.0, "b", 2.0, "c", 2.0, "d", 3.0, "e", 5.0);
    Map<String, Double> y = Map.of("a", 2.0, "b", 1.0, "c", 4.0, "d", 3.0, "e", 5.0);
    assertThat(Correlation.spearman(x, y).getAsDouble()).isCloseTo(0.6668859, within(1e-6));
  }

  @Test
  void pearsonMatchesTheTextbookValueAndIgnoresKeysNotShared() {
    // By hand: sxy = 3.5, sxx = 5, syy = 4.75, r = 3.5 / √23.75 = 0.7181848 (R: cor(c(1,2,3,4), c(2,4,5,4)))
    Map<String, Double> x = Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0, "z", 100.0);
    Map<String, Double> y = Map.of("a", 2.0, "b", 4.0, "c", 5.0, "d", 4.0);
    assertThat(Correlation.pearson(x, y).getAsDouble()).isCloseTo(0.7181848, within(1e-6));
    assertThat(Correlation.pearson(new double[] {1, 1}, new double[] {1, 2})).isEmpty();
  }
}
