package org.cjassessment.core.bt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reliability on real, published CJ data (Kinnear, Jones & Davies 2025 meta-analysis data; see
 * scripts/bt-reference/reliability.R): SSR equals an independent R computation of the same definition, and sits
 * close to the field's reference, sirt::btm's mle.rel (re-implemented in R and checked there against the authors'
 * published sirt output). The figures differ by design: sirt shrinks every essay's score 0.3 wins towards 50 % and
 * takes SEs from the information's diagonal alone (too small); we use the MAP and the centred covariance, and SSR
 * counts the MAP's sampling variance (the sandwich H⁻¹ I H⁻¹, computed in R directly) as error, not the prior's
 * shrinkage.
 */
class RealDataReliabilityTest {

  @ParameterizedTest
  @ValueSource(strings = {"bramley2018_1b", "esen2019"})
  void reliabilityMatchesIndependentImplementations(String dataset) throws IOException {
    Map<String, String> meta = new HashMap<>();
    for (String[] row : rows(dataset + "/meta.csv")) {
      meta.put(row[0], row[1]);
    }
    List<Comparison> comparisons = new ArrayList<>();
    for (String[] row : rows(dataset + "/comparisons.csv")) {
      comparisons.add(new Comparison(row[1], row[2], null, row[0]));
    }
    assertThat(comparisons).hasSize(Integer.parseInt(meta.get("n_comparisons")));

    FitResult mle = BradleyTerry.fit(comparisons, FitOptions.plainMle());
    FitResult map = BradleyTerry.fit(comparisons, FitOptions.defaults());
    assertThat(mle.scaleSeparationReliability()).isCloseTo(value(meta, "ssr_mle"), within(1e-6));
    assertThat(map.scaleSeparationReliability()).isCloseTo(value(meta, "ssr_map_sd3"), within(1e-6));
    assertThat(map.scaleSeparationReliability()).isCloseTo(mle.scaleSeparationReliability(), within(0.01));
    // The issue's bug, reproduced in R: the uncentred SEs gave 0.47 and 0.00 here.
    assertThat(map.scaleSeparationReliability()).isGreaterThan(value(meta, "ssr_map_sd3_uncentred_se") + 0.3);
    assertThat(map.scaleSeparationReliability()).isCloseTo(value(meta, "sirt_mle_rel"), within(0.04));

    SplitHalfReliability splitHalf = SplitHalfReliability.estimate(comparisons, FitOptions.defaults());
    assertThat(splitHalf.byJudge()).isTrue();
    // The authors' figure is a median over 100 judge splits fitted with sirt (eps-shrunk), ours a mean of MAP fits.
    assertThat(splitHalf.meanHalfCorrelation()).isCloseTo(value(meta, "published_median_split_corr"), within(0.08));
  }

  private static double value(Map<String, String> meta, String key) {
    return Double.parseDouble(meta.get(key));
  }

  private static List<String[]> rows(String resource) throws IOException {
    try (InputStream in = RealDataReliabilityTest.class.getResourceAsStream("/bt-reference/real/" + resource)) {
      assertThat(in).as(resource).isNotNull();
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R");
      List<String[]> rows = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        if (!lines[i].isBlank()) {
          rows.add(lines[i].split(","));
        }
      }
      return rows;
    }
  }
}
