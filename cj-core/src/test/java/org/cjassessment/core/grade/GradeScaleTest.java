package org.cjassessment.core.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class GradeScaleTest {

  @Test
  void theThreeUpstreamScalesWithExactIdsGradesPriorsAndBelowLowestGrades() {
    assertThat(GradeScale.ids())
        .containsExactly("swedish_8_anchor", "eng5_np_legacy_9_step", "eng5_np_national_9_step");
    assertThat(GradeScale.DEFAULT).isSameAs(GradeScale.SWEDISH_8_ANCHOR);

    GradeScale swedish = GradeScale.byId("swedish_8_anchor");
    assertThat(swedish.displayName()).isEqualTo("Swedish National Exam (8-anchor)");
    assertThat(swedish.grades()).containsExactly("F", "E", "D", "D+", "C", "C+", "B", "A");
    assertThat(swedish.populationPriors().values()).containsExactly(0.02, 0.08, 0.15, 0.20, 0.25, 0.15, 0.10, 0.05);
    assertThat(swedish.belowLowestGrade()).isEmpty();
    assertThat(swedish.allGrades()).isEqualTo(swedish.grades());

    GradeScale legacy = GradeScale.byId("eng5_np_legacy_9_step");
    assertThat(legacy.displayName()).isEqualTo("ENG5 NP Legacy (9-step)");
    assertThat(legacy.grades()).containsExactly("F+", "E-", "E+", "D-", "D+", "C-", "C+", "B", "A");
    assertThat(legacy.populationPriors().values()).allSatisfy(p -> assertThat(p).isCloseTo(1.0 / 9, within(1e-15)));
    assertThat(legacy.belowLowestGrade()).contains("F");
    assertThat(legacy.allGrades()).startsWith("F", "F+").hasSize(10);

    GradeScale national = GradeScale.byId("eng5_np_national_9_step");
    assertThat(national.displayName()).isEqualTo("ENG5 NP National (9-step)");
    assertThat(national.grades()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
    assertThat(national.belowLowestGrade()).contains("0");
    assertThat(national.lowestGrade()).isEqualTo("1");
    assertThat(national.highestGrade()).isEqualTo("9");
  }

  @Test
  void anUnknownScaleIdIsAnErrorListingTheValidIdsNotAFallback() {
    assertThatThrownBy(() -> GradeScale.byId("swedish"))
        .isInstanceOf(UnknownGradeScaleException.class)
        .hasMessageContaining("'swedish'")
        .hasMessageContaining("swedish_8_anchor")
        .hasMessageContaining("eng5_np_legacy_9_step")
        .hasMessageContaining("eng5_np_national_9_step");
    assertThatThrownBy(() -> GradeScale.byId(null)).isInstanceOf(UnknownGradeScaleException.class);
    assertThat(GradeScale.findById("SWEDISH_8_ANCHOR")).isEmpty();
    assertThat(GradeScale.findById("eng5_np_national_9_step")).contains(GradeScale.ENG5_NP_NATIONAL_9_STEP);
  }

  @Test
  void gradesAreValidatedAgainstTheirOwnScaleNotALetterPattern() {
    GradeScale national = GradeScale.ENG5_NP_NATIONAL_9_STEP;
    assertThat(national.validate("7")).isEqualTo("7");
    assertThat(national.isValid("0")).isTrue();
    assertThat(national.isValid("10")).isFalse();
    assertThat(national.isValid("A")).isFalse();
    assertThat(GradeScale.SWEDISH_8_ANCHOR.isValid("B+")).isFalse(); // derived grade, not on the scale
    assertThat(GradeScale.SWEDISH_8_ANCHOR.isValid("c+")).isFalse(); // exact, case-sensitive
    assertThatThrownBy(() -> GradeScale.SWEDISH_8_ANCHOR.validate("G"))
        .isInstanceOf(UnknownGradeException.class)
        .hasMessageContaining("'G'")
        .hasMessageContaining("swedish_8_anchor")
        .hasMessageContaining("[F, E, D, D+, C, C+, B, A]");
  }

  @Test
  void indexOfFollowsUpstreamWithMinusOneForTheBelowLowestGrade() {
    GradeScale legacy = GradeScale.ENG5_NP_LEGACY_9_STEP;
    assertThat(legacy.indexOf("F")).isEqualTo(-1);
    assertThat(legacy.indexOf("F+")).isZero();
    assertThat(legacy.indexOf("A")).isEqualTo(8);
    assertThat(legacy.rankOf("F")).isZero();
    assertThat(legacy.rankOf("A")).isEqualTo(9);
    assertThat(GradeScale.SWEDISH_8_ANCHOR.indexOf("D+")).isEqualTo(3);
    assertThat(new java.util.ArrayList<>(List.of("A", "F", "C+", "D")))
        .satisfies(l -> l.sort(GradeScale.SWEDISH_8_ANCHOR.order()))
        .containsExactly("F", "D", "C+", "A");
  }

  @Test
  void normalisedScoreUsesTheUpstreamLetterTableAndGOverNineForNumericGrades() {
    GradeScale swedish = GradeScale.SWEDISH_8_ANCHOR;
    assertThat(swedish.grades().stream().map(swedish::normalizedScore).toList())
        .containsExactly(0.00, 0.20, 0.40, 0.47, 0.60, 0.67, 0.80, 1.00);
    GradeScale legacy = GradeScale.ENG5_NP_LEGACY_9_STEP;
    assertThat(legacy.allGrades().stream().map(legacy::normalizedScore).toList())
        .containsExactly(0.00, 0.07, 0.13, 0.27, 0.33, 0.47, 0.53, 0.67, 0.80, 1.00);
    GradeScale national = GradeScale.ENG5_NP_NATIONAL_9_STEP;
    assertThat(national.normalizedScore("0")).isZero();
    assertThat(national.normalizedScore("3")).isCloseTo(1.0 / 3, within(1e-15));
    assertThat(national.normalizedScore("9")).isEqualTo(1.0);
    assertThatThrownBy(() -> national.normalizedScore("U")).isInstanceOf(UnknownGradeException.class);
  }
}
