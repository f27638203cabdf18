package org.cjassessment.core.grade;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The average behind {@link GradeBoundaryUncertaintyProperties}: over many configurations (one to three anchors per
 * grade, anchors scattered by their SE), noisier anchors give clearly flatter grade probabilities.
 */
class GradeBoundaryFlatnessTest {

  /** Over many configurations, noisier anchors give clearly flatter probabilities: strict, and by a margin. */
  @Test
  void noisierAnchorsGiveFlatterProbabilitiesOnAverage() {
    double difference = 0;
    int flatter = 0;
    int configurations = 30;
    for (int k = 0; k < configurations; k++) {
      Random random = new Random(k);
      List<double[]> anchors = GradeBoundaryUncertaintyProperties.anchors(1 + k % 3, random);
      List<AbilityEstimate> students = GradeBoundaryUncertaintyProperties.students(random);
      double precise = GradeBoundaryUncertaintyProperties.meanConfidence(anchors, 0.4, students, k);
      double noisy = GradeBoundaryUncertaintyProperties.meanConfidence(anchors, 0.8, students, k);
      difference += (precise - noisy) / configurations;
      flatter += noisy < precise ? 1 : 0;
    }
    System.out.printf("anchor SE 0.4 -> 0.8: mean confidence lower by %.4f, flatter in %d of %d%n", difference,
        flatter, configurations);
    assertThat(difference).isGreaterThan(0.01);
    assertThat(flatter).isGreaterThanOrEqualTo(configurations * 8 / 10);
  }
}
