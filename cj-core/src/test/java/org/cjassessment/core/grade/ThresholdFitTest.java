package org.cjassessment.core.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThresholdFitTest {

  /** Anchors in categories 0, 1, 3 (2 and 4 empty) of five, one far out of order. */
  private static final int M = 5;
  private static final int[] CATEGORY = {0, 1, 1, 3, 3, 0};
  private static final double[] ABILITY = {-1.5, -0.4, 0.1, 1.2, 1.9, 2.5};
  private static final double[] NOISE = {0.4, 0.3, 0.6, 0.35, 0.5, 0.45};
  private static final double[] PRECISION = {1, 1.2, 0.8, 1.5, 1};

  @Test
  void analyticGradientAndHessianMatchFiniteDifferences() {
    ThresholdFit fit = new ThresholdFit(M, CATEGORY, ABILITY, NOISE, PRECISION);
    double[] tau = {-1.0, -0.2, 0.7, 1.6};
    double[] g = new double[4];
    double[][] h = new double[4][4];
    assertThat(fit.gradientAndHessian(tau, g, h)).isTrue();

    double eps = 1e-5;
    for (int i = 0; i < 4; i++) {
      double[] up = tau.clone();
      double[] down = tau.clone();
      up[i] += eps;
      down[i] -= eps;
      double numeric = (fit.objective(up) - fit.objective(down)) / (2 * eps);
      assertThat(g[i]).as("gradient %d", i).isCloseTo(numeric, within(1e-6));

      double[] gUp = new double[4];
      double[] gDown = new double[4];
      fit.gradientAndHessian(up, gUp, new double[4][4]);
      fit.gradientAndHessian(down, gDown, new double[4][4]);
      for (int j = 0; j < 4; j++) {
        assertThat(h[j][i]).as("hessian %d,%d", j, i).isCloseTo((gUp[j] - gDown[j]) / (2 * eps), within(1e-5));
      }
    }
  }

  @Test
  void theFitIsAStationaryPointAndBeatsNearbyOrderedPoints() {
    double[] relative = {1, 1, 1, 1, 1};
    ThresholdFit.Result result = ThresholdFit.fit(M, CATEGORY, ABILITY, NOISE, relative, 0.5);
    assertThat(result.converged()).isTrue();
    double[] tau = result.thresholds();
    assertThat(ThresholdFit.isStrictlyOrdered(tau)).isTrue();

    double w0 = result.referenceWidth();
    double[] precision = new double[M];
    java.util.Arrays.fill(precision, 1 / (w0 * w0));
    ThresholdFit problem = new ThresholdFit(M, CATEGORY, ABILITY, NOISE, precision);
    double[] g = new double[4];
    problem.gradientAndHessian(tau, g, new double[4][4]);
    for (double gi : g) {
      assertThat(gi).isCloseTo(0, within(1e-6));
    }
    double best = problem.objective(tau);
    for (int i = 0; i < 4; i++) {
      for (double d : new double[] {-0.01, 0.01}) {
        double[] moved = tau.clone();
        moved[i] += d;
        assertThat(problem.objective(moved)).isLessThan(best);
      }
    }
  }

  @Test
  void weightedIsotonicRegressionPoolsAdjacentViolators() {
    double[] fitted =
        ThresholdFit.Isotonic.nonDecreasing(new double[] {1, 3, 2, 4, 0}, new double[] {1, 1, 3, 1, 1});
    // 3 (w1) and 2 (w3) pool to 2.25; then 4 and 0 pool to 2, which is below 2.25, so all of 3,2,4,0 pool:
    // (3 + 6 + 4 + 0) / 6 = 13/6
    assertThat(fitted).containsExactly(new double[] {1, 13 / 6.0, 13 / 6.0, 13 / 6.0, 13 / 6.0}, within(1e-12));
  }
}
