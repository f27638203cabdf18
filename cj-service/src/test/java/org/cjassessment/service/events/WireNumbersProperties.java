package org.cjassessment.service.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.cjassessment.core.grade.GradeProbability;

/** The rounding of the published result event's numbers (docs/OUTBOX.md "Sizes"). */
class WireNumbersProperties {

  /**
   * Any probability vector (here: random weights, some of them tiny, normalised) keeps summing to 1 within 10⁻⁶
   * after rounding, every value stays in [0, 1], moves by less than 10⁻⁶ and is a whole number of millionths.
   */
  @Property(tries = 500)
  void roundedGradeProbabilitiesStillSumToOne(
      @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = 0, max = 1) Double> weights,
      @ForAll @IntRange(min = 0, max = 12) int exponent) {
    double total = 0;
    List<Double> skewed = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      // Some weights pushed far down, as the probabilities of grades far from an essay's score are.
      double w = i % 3 == 0 ? weights.get(i) * Math.pow(10, -exponent) : weights.get(i);
      skewed.add(w);
      total += w;
    }
    List<GradeProbability> input = new ArrayList<>();
    for (int i = 0; i < skewed.size(); i++) {
      double p = total > 0 ? skewed.get(i) / total : (i == 0 ? 1.0 : 0.0);
      input.add(new GradeProbability("g" + i, Math.min(1.0, p)));
    }
    Map<String, Double> out = WireNumbers.probabilities(input);
    assertThat(out.keySet()).containsExactlyElementsOf(input.stream().map(GradeProbability::grade).toList());
    assertThat(out.values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, offset(WireNumbers.PROBABILITY_SUM_TOLERANCE));
    for (GradeProbability p : input) {
      double rounded = out.get(p.grade());
      assertThat(rounded).isBetween(0.0, 1.0).isCloseTo(p.probability(), offset(1e-6));
      assertThat(Math.abs(rounded * 1e6 - Math.rint(rounded * 1e6))).isLessThan(1e-6);
    }
  }

  @Property(tries = 300)
  void aRoundedNumberIsTheNearestMillionth(@ForAll @DoubleRange(min = -50, max = 50) double value) {
    double rounded = WireNumbers.rounded(value);
    assertThat(rounded).isCloseTo(value, offset(5e-7 + 1e-12));
    assertThat(Math.abs(rounded * 1e6 - Math.rint(rounded * 1e6))).isLessThan(1e-6);
  }

  @org.junit.jupiter.api.Test
  void naiveRoundingWouldDriftWhereTheLargestRemainderDoesNot() {
    // Eight grades at 0.1249996 + a remainder: each rounds up to 0.125, eight of them sum to 1.000003.
    List<GradeProbability> input = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      input.add(new GradeProbability("g" + i, 0.1249996));
    }
    input.add(new GradeProbability("g7", 1 - 7 * 0.1249996));
    double naive = input.stream().mapToDouble(p -> WireNumbers.rounded(p.probability())).sum();
    assertThat(Math.abs(naive - 1)).isGreaterThan(1e-6);
    double ours = WireNumbers.probabilities(input).values().stream().mapToDouble(Double::doubleValue).sum();
    assertThat(ours).isCloseTo(1.0, offset(1e-9));
  }
}
