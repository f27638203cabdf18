package org.cjassessment.core.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalTest {

  /** Reference values from mpmath at 40 digits: z, Q(z) = P(Z > z), log Q(z). */
  @ParameterizedTest
  @CsvSource({
      "-10, 1.0, -7.6198530241605261e-24",
      "-5, 0.99999971334842812, -2.8665161296376359e-7",
      "-3, 0.99865010196836991, -0.0013508099647481938",
      "-1, 0.84134474606854295, -0.17275377902344989",
      "0, 0.5, -0.69314718055994531",
      "1e-9, 0.49999999960105772, -0.69314718135782987",
      "1, 0.15865525393145705, -1.8410216450092635",
      "2.99, 0.0013948872354922495, -6.5749417017486954",
      "3, 0.0013498980316300945, -6.6077262215103495",
      "3.01, 0.0013062384487694687, -6.6406036853375497",
      "6, 9.8658764503769814e-10, -20.736768949974706",
      "10, 7.6198530241605261e-24, -53.231285150512471",
      "40, 3.6558935409150297e-350, -804.60844201375379",
      "100, 0, -5005.5242086942051",
      "1e6, 0, -500000000014.73445",
  })
  void upperTailMatchesArbitraryPrecision(double z, double q, double logQ) {
    assertThat(Normal.upperTail(z)).isCloseTo(q, within(Math.abs(q) * 1e-12 + 1e-300));
    assertThat(Normal.logUpperTail(z)).isCloseTo(logQ, within(Math.abs(logQ) * 1e-12 + 1e-30));
  }

  @Test
  void logProbBetweenIsAccurateInBothTailsAndAcrossZero() {
    assertThat(Normal.logProbBetween(-0.1, 0.2)).isCloseTo(-2.1278963696652225, within(1e-13));
    assertThat(Normal.logProbBetween(5, 5.5)).isCloseTo(-15.133540811271288, within(1e-11));
    assertThat(Normal.logProbBetween(-5.5, -5)).isCloseTo(-15.133540811271288, within(1e-11));
    assertThat(Normal.logProbBetween(-1e-9, 1e-9)).isCloseTo(-20.949057189591139, within(1e-9));
    assertThat(Normal.logProbBetween(-3, 4)).isCloseTo(-0.0013825245202196513, within(1e-15));
    assertThat(Normal.logProbBetween(1e6, 1e6 + 1)).isFinite().isLessThan(-4e11);
    assertThat(Normal.logProbBetween(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)).isZero();
    assertThat(Normal.logProbBetween(1, 1)).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void quantileInvertsTheCdf() {
    assertThat(Normal.quantile(0.5)).isCloseTo(0, within(1e-14));
    assertThat(Normal.quantile(0.02)).isCloseTo(-2.0537489106318225, within(1e-12));
    assertThat(Normal.cdf(Normal.quantile(0.95))).isCloseTo(0.95, within(1e-14));
  }
}
