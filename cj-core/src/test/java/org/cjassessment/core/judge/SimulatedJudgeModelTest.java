package org.cjassessment.core.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.cjassessment.core.judge.SimulatedJudgeModel.Settings;
import org.cjassessment.core.judge.SimulatedJudgeModel.Verdict;
import org.junit.jupiter.api.Test;

class SimulatedJudgeModelTest {

  private static Map<String, Double> abilities(int n, long seed) {
    Random random = new Random(seed);
    Map<String, Double> out = new HashMap<>();
    for (int i = 0; i < n; i++) {
      out.put("e" + i, random.nextGaussian() * 1.5);
    }
    return out;
  }

  /** Empirical agreement with the true order over many random pairs in random order, measured from verdicts. */
  private static double measuredAgreement(SimulatedJudgeModel judge, int n, int draws) {
    Random random = new Random(99);
    int agree = 0;
    int counted = 0;
    for (int k = 0; k < draws; k++) {
      int i = random.nextInt(n);
      int j = random.nextInt(n);
      if (i == j) {
        continue;
      }
      String first = "e" + i;
      String second = "e" + j;
      Verdict v = judge.judge(first, second, "req-" + k);
      String winner = v.firstWins() ? first : second;
      String better = judge.ability(first).getAsDouble() > judge.ability(second).getAsDouble() ? first : second;
      agree += winner.equals(better) ? 1 : 0;
      counted++;
    }
    return (double) agree / counted;
  }

  @Test
  void verdictsAgreeWithTheTruthAsOftenAsAsked() {
    for (double target : new double[] {0.65, 0.83, 0.95}) {
      SimulatedJudgeModel judge = SimulatedJudgeModel.calibrated(abilities(80, 1),
          Settings.defaults(7).withAgreement(target));
      assertThat(measuredAgreement(judge, 80, 60_000)).as("agreement %s", target).isCloseTo(target, within(0.01));
    }
  }

  @Test
  void coinTossesAreAccepted() {
    SimulatedJudgeModel judge = SimulatedJudgeModel.calibrated(abilities(40, 2),
        Settings.defaults(3).withAgreement(0.5).withPositionBias(0));
    assertThat(judge.discrimination()).isZero();
    assertThat(measuredAgreement(judge, 40, 40_000)).isCloseTo(0.5, within(0.01));
  }

  @Test
  void positionBiasFavoursTheSecondEssayByDefault() {
    SimulatedJudgeModel judge = SimulatedJudgeModel.calibrated(abilities(60, 4), Settings.defaults(5));
    int firstWins = 0;
    int draws = 40_000;
    Random random = new Random(1);
    for (int k = 0; k < draws; k++) {
      int i = random.nextInt(60);
      int j = (i + 1 + random.nextInt(59)) % 60;
      firstWins += judge.judge("e" + i, "e" + j, "r" + k).firstWins() ? 1 : 0;
    }
    assertThat((double) firstWins / draws).isLessThan(0.48).isGreaterThan(0.40);
  }

  @Test
  void theSameRequestGetsTheSameAnswer() {
    SimulatedJudgeModel judge = SimulatedJudgeModel.calibrated(abilities(30, 5),
        Settings.defaults(11).withErrorRate(0.2).withLatency(500, 0.5));
    SimulatedJudgeModel again = SimulatedJudgeModel.calibrated(abilities(30, 5),
        Settings.defaults(11).withErrorRate(0.2).withLatency(500, 0.5));
    for (int k = 0; k < 200; k++) {
      assertThat(again.judge("e1", "e2", "k" + k)).isEqualTo(judge.judge("e1", "e2", "k" + k));
    }
  }

  @Test
  void errorsComeAtTheConfiguredRateAndCarryNoVerdict() {
    SimulatedJudgeModel judge = SimulatedJudgeModel.calibrated(abilities(30, 6),
        Settings.defaults(13).withErrorRate(0.1));
    int errors = 0;
    for (int k = 0; k < 20_000; k++) {
      Verdict v = judge.judge("e3", "e4", "k" + k);
      if (v.error()) {
        errors++;
        assertThat(v.probabilityFirstWins()).isNaN();
        assertThat(v.confidence()).isZero();
      } else {
        assertThat(v.confidence()).isBetween(1, 5);
      }
    }
    assertThat(errors / 20_000.0).isCloseTo(0.1, within(0.01));
  }

  @Test
  void latencyIsLogNormalAroundTheMedian() {
    SimulatedJudgeModel judge = SimulatedJudgeModel.calibrated(abilities(10, 7),
        Settings.defaults(17).withLatency(500, 0.4));
    long below = 0;
    for (int k = 0; k < 10_000; k++) {
      below += judge.judge("e1", "e2", "k" + k).latencyMillis() < 500 ? 1 : 0;
    }
    assertThat(below / 10_000.0).isCloseTo(0.5, within(0.02));
  }

  @Test
  void anEssayWithoutTruthIsAClearError() {
    SimulatedJudgeModel judge = SimulatedJudgeModel.calibrated(abilities(5, 8), Settings.defaults(1));
    assertThatThrownBy(() -> judge.judge("e1", "nope", "k")).hasMessageContaining("nope");
    assertThatThrownBy(() -> Settings.defaults(1).withAgreement(1.0)).hasMessageContaining("agreement");
  }

  @Test
  void theStatedProbabilitySidesWithTheVerdictAndIsNotTheTruth() {
    SimulatedJudgeModel judge = SimulatedJudgeModel.calibrated(abilities(40, 9), Settings.defaults(21));
    int differs = 0;
    for (int k = 0; k < 2_000; k++) {
      Verdict v = judge.judge("e1", "e2", "k" + k);
      assertThat(v.probabilityFirstWins() > 0.5).isEqualTo(v.firstWins());
      differs += Math.abs(v.probabilityFirstWins() - judge.probabilityFirstWins("e1", "e2")) > 0.05 ? 1 : 0;
    }
    // a judge that stated the true probability would reveal the hidden abilities to the fit
    assertThat(differs).isGreaterThan(1_500);
  }
}
