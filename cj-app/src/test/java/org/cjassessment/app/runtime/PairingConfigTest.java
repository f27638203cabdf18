package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.cjassessment.core.pairs.SelectorKind;
import org.junit.jupiter.api.Test;

class PairingConfigTest {

  @Test
  void theSelectorCapAndPrecisionTargetsComeFromTheirVariables() {
    ServiceConfig config = ServiceConfig.fromEnvironment(Map.of("CJ_PAIR_SELECTOR", "adaptive",
        "CJ_MAX_PER_ESSAY", "12", "CJ_TARGET_RELIABILITY", "0.85", "CJ_TARGET_GRADE_SHARE", "0.9",
        "CJ_GRADE_CONFIDENCE", "0.6", "CJ_MIN_APPEARANCES_FOR_PRECISION", "5"));
    assertThat(config.settings().pairSelector()).isEqualTo(SelectorKind.ADAPTIVE);
    assertThat(config.settings().maxPerEssay()).isEqualTo(12);
    var target = config.settings().policy().precisionTarget();
    assertThat(target.reliability()).isEqualTo(0.85);
    assertThat(target.gradeShare()).isEqualTo(0.9);
    assertThat(target.gradeConfidence()).isEqualTo(0.6);
    assertThat(target.minAppearances()).isEqualTo(5);
  }

  @Test
  void byDefaultAdaptiveWithoutCapOrPrecisionStop() {
    ServiceConfig config = ServiceConfig.fromEnvironment(Map.of());
    assertThat(config.settings().pairSelector()).isEqualTo(SelectorKind.ADAPTIVE);
    assertThat(config.settings().maxPerEssay()).isZero();
    assertThat(config.settings().policy().precisionTarget().active()).isFalse();
  }

  @Test
  void anUnknownSelectorNamesTheVariableAndTheChoices() {
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of("CJ_PAIR_SELECTOR", "swiss")))
        .isInstanceOf(ServiceConfig.ConfigException.class)
        .hasMessage("CJ_PAIR_SELECTOR=swiss is not a pair selector; use one of adaptive, coverage, random");
  }

  @Test
  void aPoolTooSmallForTheRelayIsRefusedAtStart() {
    // The relay holds three connections at once, which a pool of 2 (accepted before) cannot give it.
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of("CJ_DB_POOL_SIZE", "4")))
        .isInstanceOf(ServiceConfig.ConfigException.class).hasMessageContaining("CJ_DB_POOL_SIZE");
    assertThat(ServiceConfig.fromEnvironment(Map.of("CJ_DB_POOL_SIZE", "5")).dbPoolSize()).isEqualTo(5);
  }
}
