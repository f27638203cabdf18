package org.cjassessment.core.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cjassessment.core.grade.GradeProjection.NotProjected;
import org.cjassessment.core.grade.GradeProjection.Projected;
import org.cjassessment.core.grade.GradeProjection.Reason;
import org.junit.jupiter.api.Test;

class GradeProjectorTest {

  private static final GradeScale SWEDISH = GradeScale.SWEDISH_8_ANCHOR;
  // Exact boundaries (no bootstrap draws): these tests check the boundary fit and the closed-form grading rule;
  // GradeBoundaryUncertaintyProperties covers the draws.
  private final GradeProjector projector = new GradeProjector(ProjectionSettings.DEFAULTS.withBoundaryDraws(0));

  /** A batch under construction: essays of one fit plus the anchors' known grades. */
  private static final class Batch {
    final List<AbilityEstimate> essays = new ArrayList<>();
    final Map<String, String> anchors = new LinkedHashMap<>();

    Batch anchor(String id, String grade, double ability, double se) {
      essays.add(new AbilityEstimate(id, ability, se));
      anchors.put(id, grade);
      return this;
    }

    Batch student(String id, double ability, double se) {
      essays.add(new AbilityEstimate(id, ability, se));
      return this;
    }
  }

  /** One anchor per Swedish grade at −3.5, −2.5, …, 3.5 with SE 0.3. */
  private static Batch evenlySpacedSwedishAnchors() {
    Batch b = new Batch();
    for (int i = 0; i < SWEDISH.size(); i++) {
      b.anchor("anchor-" + SWEDISH.grades().get(i), SWEDISH.grades().get(i), -3.5 + i, 0.3);
    }
    return b;
  }

  private Projected projected(GradeScale scale, Batch b) {
    GradeProjection result = projector.project(scale, b.essays, b.anchors);
    assertThat(result).isInstanceOf(Projected.class);
    return (Projected) result;
  }

  private static List<Double> boundaryAbilities(GradeCalibration c) {
    return c.boundaries().stream().map(GradeBoundary::ability).toList();
  }

  private static void assertStrictlyIncreasingAndFinite(List<Double> xs) {
    assertThat(xs).allSatisfy(x -> assertThat(x).isFinite());
    for (int i = 1; i < xs.size(); i++) {
      assertThat(xs.get(i)).as("boundary %d > boundary %d in %s", i, i - 1, xs).isGreaterThan(xs.get(i - 1));
    }
  }

  @Test
  void wellSeparatedAnchorsPutBoundariesMidwayAndStudentsNearAnAnchorGetItsGrade() {
    Batch b = evenlySpacedSwedishAnchors();
    for (int i = 0; i < SWEDISH.size(); i++) {
      b.student("student-" + i, -3.5 + i + 0.05, 0.3);
    }
    Projected result = projected(SWEDISH, b);

    assertThat(result.calibration().converged()).isTrue();
    List<Double> boundaries = boundaryAbilities(result.calibration());
    for (int i = 0; i < boundaries.size(); i++) {
      assertThat(boundaries.get(i)).isCloseTo(-3.0 + i, within(0.05));
    }
    assertThat(result.students()).hasSize(SWEDISH.size());
    for (int i = 0; i < SWEDISH.size(); i++) {
      StudentGrade s = result.students().get(i);
      assertThat(s.essayId()).isEqualTo("student-" + i);
      assertThat(s.mostLikelyGrade()).isEqualTo(SWEDISH.grades().get(i));
      assertThat(s.confidenceLabel()).isEqualTo(ConfidenceLabel.HIGH);
      assertThat(s.confidence()).isEqualTo(s.probabilityOf(s.mostLikelyGrade()));
    }
  }

  @Test
  void aLargeStandardErrorNearABoundarySpreadsTheDistributionInsteadOfOneHot() {
    GradeCalibration calibration = projected(SWEDISH, evenlySpacedSwedishAnchors()).calibration();

    StudentGrade precise = calibration.project(new AbilityEstimate("precise", 0.1, 0.05));
    StudentGrade vague = calibration.project(new AbilityEstimate("vague", 0.1, 1.5));

    // near the D+|C boundary at 0: even a precise estimate is split between the two grades
    assertThat(precise.mostLikelyGrade()).isEqualTo("C");
    assertThat(precise.probabilityOf("D+")).isGreaterThan(0.2);
    assertThat(precise.probabilityOf("C")).isGreaterThan(0.5);
    // a large SE spreads the mass over many grades and lowers the confidence
    assertThat(vague.probabilities().stream().filter(p -> p.probability() > 0.05)).hasSizeGreaterThanOrEqualTo(5);
    assertThat(vague.confidence()).isLessThan(precise.confidence()).isLessThan(0.3);
    assertThat(vague.confidenceLabel()).isEqualTo(ConfidenceLabel.LOW);
    // the grade a student is centred in stays most likely
    assertThat(vague.mostLikelyGrade()).isEqualTo("C");
  }

  @Test
  void outOfOrderAnchorsStillGiveStrictlyOrderedBoundaries() {
    Batch b =
        new Batch()
            .anchor("e1", "E", 1.5, 0.4)
            .anchor("e2", "E", 1.1, 0.4)
            .anchor("d1", "D", -0.5, 0.4)
            .anchor("c1", "C", 0.5, 0.4)
            .anchor("c2", "C", -1.2, 0.4)
            .anchor("b1", "B", -1.0, 0.4)
            .anchor("a1", "A", 2.5, 0.4)
            .student("s", 0.0, 0.4);
    Projected result = projected(SWEDISH, b);

    assertStrictlyIncreasingAndFinite(boundaryAbilities(result.calibration()));
    assertThat(result.calibration().converged()).isTrue();
    assertThat(result.students().get(0).probabilities().stream().mapToDouble(GradeProbability::probability).sum())
        .isCloseTo(1, within(1e-12));
  }

  @Test
  void anchorsOfTwoGradesOnlyGiveEveryOtherGradeAnOrderedSensibleBand() {
    Batch b =
        new Batch()
            .anchor("e1", "E", -2.1, 0.3)
            .anchor("e2", "E", -1.9, 0.3)
            .anchor("b1", "B", 2.0, 0.3)
            .student("weak", -4.0, 0.3)
            .student("strong", 4.0, 0.3);
    Projected result = projected(SWEDISH, b);
    GradeCalibration c = result.calibration();

    assertStrictlyIncreasingAndFinite(boundaryAbilities(c));
    // E sits around its anchors, B around its anchor; the four grades between share the gap
    assertThat(c.gradeContaining(-2.0)).isEqualTo("E");
    assertThat(c.gradeContaining(2.0)).isEqualTo("B");
    List<GradeBand> bands = c.bands();
    double widthD = width(bands.get(2));
    for (GradeBand band : bands.subList(2, 6)) {
      assertThat(width(band)).as(band.grade()).isBetween(widthD / 2, widthD * 2);
    }
    assertThat(bands.get(0).lower()).isEmpty();
    assertThat(bands.get(7).upper()).isEmpty();
    assertThat(bands.get(1).anchorCount()).isEqualTo(2);
    assertThat(bands.get(6).anchorCount()).isEqualTo(1);
    assertThat(result.students()).extracting(StudentGrade::mostLikelyGrade).containsExactly("A", "F");
  }

  @Test
  void tiedAnchorAbilitiesInDifferentGradesSplitTheStudentBetweenThem() {
    Batch b =
        new Batch()
            .anchor("d", "D", 0.0, 0.3)
            .anchor("c", "C", 0.0, 0.3)
            .student("s", 0.0, 0.3);
    Projected result = projected(SWEDISH, b);

    assertStrictlyIncreasingAndFinite(boundaryAbilities(result.calibration()));
    StudentGrade s = result.students().get(0);
    assertThat(s.probabilityOf("D")).isCloseTo(s.probabilityOf("C"), within(1e-6));
    assertThat(s.mostLikelyGrade()).isIn("D", "D+", "C");
  }

  @Test
  void fewerThanTwoDistinctAnchorGradesIsNotProjectedWithAReason() {
    Batch b = new Batch().anchor("a1", "C", 0.1, 0.3).anchor("a2", "C", -0.4, 0.3).student("s", 1.0, 0.3);
    GradeProjection result = projector.project(SWEDISH, b.essays, b.anchors);

    assertThat(result).isInstanceOf(NotProjected.class);
    NotProjected not = (NotProjected) result;
    assertThat(not.reason()).isEqualTo(Reason.FEWER_THAN_TWO_ANCHOR_GRADES);
    assertThat(not.message()).contains("2 anchor(s)", "graded C", "swedish_8_anchor", "two distinct grades");
    assertThat(not.anchors()).extracting(AnchorGrade::essayId).containsExactly("a1", "a2");
  }

  @Test
  void noAnchorsIsNotProjectedWithAReason() {
    Batch b = new Batch().student("s1", 1.0, 0.3).student("s2", -1.0, 0.3);
    GradeProjection result = projector.project(SWEDISH, b.essays, b.anchors);

    assertThat(result).isInstanceOfSatisfying(
        NotProjected.class,
        not -> {
          assertThat(not.reason()).isEqualTo(Reason.NO_ANCHORS);
          assertThat(not.anchors()).isEmpty();
        });
    assertThat(projector.project(SWEDISH, List.of(), Map.of())).isInstanceOf(NotProjected.class);
  }

  @Test
  void anAnchorGradeNotOnTheScaleIsAnErrorNamingTheEssayTheGradeAndTheValidGrades() {
    Batch b = new Batch().anchor("anchor-7", "B+", 1.0, 0.3).anchor("anchor-8", "C", 0.0, 0.3);

    assertThatThrownBy(() -> projector.project(SWEDISH, b.essays, b.anchors))
        .isInstanceOfSatisfying(
            UnknownGradeException.class,
            e -> {
              assertThat(e.essayId()).contains("anchor-7");
              assertThat(e.grade()).isEqualTo("B+");
              assertThat(e.validGrades()).isEqualTo(SWEDISH.allGrades());
            })
        .hasMessageContaining("anchor-7")
        .hasMessageContaining("'B+'")
        .hasMessageContaining("[F, E, D, D+, C, C+, B, A]");
  }

  @Test
  void brokenInputsAreErrorsNamingTheEssay() {
    Batch missing = new Batch().anchor("a", "C", 0, 0.3);
    missing.anchors.put("ghost", "A");
    assertThatThrownBy(() -> projector.project(SWEDISH, missing.essays, missing.anchors))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ghost'")
        .hasMessageContaining("same Bradley-Terry fit");

    Batch duplicate = new Batch().student("s", 0, 0.3).student("s", 1, 0.3);
    assertThatThrownBy(() -> projector.project(SWEDISH, duplicate.essays, duplicate.anchors))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'s'");

    assertThatThrownBy(() -> new AbilityEstimate("x", Double.NaN, 0.3)).hasMessageContaining("'x'");
    assertThatThrownBy(() -> new AbilityEstimate("x", 0, -1)).hasMessageContaining("standard error");
  }

  @Test
  void nationalNineStepNumericGradesWorkEndToEnd() {
    GradeScale national = GradeScale.ENG5_NP_NATIONAL_9_STEP;
    Batch b = new Batch();
    for (int g = 1; g <= 9; g++) {
      b.anchor("anchor-" + g, Integer.toString(g), -4.0 + g, 0.3); // 1 → −3 … 9 → 5
    }
    b.student("s-mid", 1.05, 0.3).student("s-top", 7.0, 0.3).student("s-below", -6.0, 0.3);
    Projected result = projected(national, b);

    assertStrictlyIncreasingAndFinite(boundaryAbilities(result.calibration()));
    assertThat(result.calibration().boundaries().get(0).lowerGrade()).isEqualTo("0");
    assertThat(result.students())
        .extracting(StudentGrade::essayId, StudentGrade::mostLikelyGrade)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s-below", "0"),
            org.assertj.core.groups.Tuple.tuple("s-mid", "5"),
            org.assertj.core.groups.Tuple.tuple("s-top", "9"));
    StudentGrade mid = result.students().get(1);
    assertThat(mid.probabilities()).extracting(GradeProbability::grade).isEqualTo(national.allGrades());
    assertThat(national.normalizedScore(mid.mostLikelyGrade())).isCloseTo(5 / 9.0, within(1e-15));
    assertThat(result.anchors()).extracting(AnchorGrade::grade).contains("1", "9");
  }

  @Test
  void legacyScaleEmitsItsBelowLowestGradeOnlyWellBelowTheLowestBand() {
    GradeScale legacy = GradeScale.ENG5_NP_LEGACY_9_STEP;
    Batch b = new Batch();
    for (int i = 0; i < legacy.size(); i++) {
      b.anchor("anchor-" + i, legacy.grades().get(i), -4.0 + i, 0.3);
    }
    b.student("at-lowest", -4.0, 0.3).student("far-below", -7.0, 0.3);
    Projected result = projected(legacy, b);

    assertThat(result.students()).extracting(StudentGrade::mostLikelyGrade).containsExactly("F+", "F");
  }

  @Test
  void anchorsAreNeverGradedAsStudentsButCarryTheirKnownGrades() {
    Batch b = evenlySpacedSwedishAnchors().student("s2", 0.3, 0.5).student("s1", -0.3, 0.5);
    Projected result = projected(SWEDISH, b);

    assertThat(result.students()).extracting(StudentGrade::essayId).containsExactly("s1", "s2");
    assertThat(result.anchors()).hasSize(8).isSortedAccordingTo(java.util.Comparator.comparing(AnchorGrade::essayId));
    assertThat(result.anchors())
        .filteredOn(a -> a.essayId().equals("anchor-C+"))
        .singleElement()
        .satisfies(a -> assertThat(a.grade()).isEqualTo("C+"));
  }

  @Test
  void outputIsIndependentOfInputOrder() {
    Batch b =
        evenlySpacedSwedishAnchors()
            .anchor("extra-d", "D", -1.2, 0.6)
            .student("s1", 0.2, 0.4)
            .student("s2", -2.2, 0.9)
            .student("s3", 3.1, 0.2);
    GradeProjection first = projector.project(SWEDISH, b.essays, b.anchors);

    List<AbilityEstimate> shuffled = new ArrayList<>(b.essays);
    Collections.shuffle(shuffled, new Random(7));
    Map<String, String> reversedAnchors = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>(b.anchors.keySet());
    Collections.reverse(ids);
    ids.forEach(id -> reversedAnchors.put(id, b.anchors.get(id)));

    assertThat(projector.project(SWEDISH, shuffled, reversedAnchors)).isEqualTo(first);
  }

  @Test
  void populationPriorsOptionallyShapeTheWidthsOfGradesWithoutAnchors() {
    Batch b = new Batch().anchor("f", "F", -3.0, 0.3).anchor("a", "A", 3.0, 0.3);
    GradeProjector withPriors =
        new GradeProjector(
            ProjectionSettings.DEFAULTS.withPopulationPriors(ProjectionSettings.PriorUse.SHAPE_WIDTHS));

    List<GradeBand> equal = projected(SWEDISH, b).calibration().bands();
    GradeProjection shaped = withPriors.project(SWEDISH, b.essays, b.anchors);
    List<GradeBand> bands = ((Projected) shaped).calibration().bands();

    // national priors: E (8 %) sits further out in the normal tail than C+ (15 %), so its band is wider
    assertThat(width(bands.get(1))).isGreaterThan(width(bands.get(5)) * 1.2);
    assertThat(width(equal.get(1))).isCloseTo(width(equal.get(5)), within(0.01));
  }

  @Test
  void anchorsMayCarryTheBelowLowestGradeAndABatchOfOnlyAnchorsIsStillCalibrated() {
    GradeScale legacy = GradeScale.ENG5_NP_LEGACY_9_STEP;
    Batch b =
        new Batch()
            .anchor("f", "F", -3.0, 0.3)
            .anchor("f-plus", "F+", -2.0, 0.3)
            .anchor("c-minus", "C-", 1.0, 0.3);
    Projected result = projected(legacy, b);

    assertThat(result.students()).isEmpty();
    assertThat(result.calibration().gradeContaining(-3.0)).isEqualTo("F");
    assertThat(result.calibration().gradeContaining(-2.0)).isEqualTo("F+");
    assertThat(result.calibration().bands().get(0).anchorCount()).isEqualTo(1);
  }

  @Test
  void settingsAreValidatedWithTheOffendingValue() {
    assertThatThrownBy(() -> ProjectionSettings.DEFAULTS.withGradingNoise(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gradingNoise")
        .hasMessageContaining("0.0");
  }

  private static double width(GradeBand band) {
    return band.upper().orElseThrow() - band.lower().orElseThrow();
  }
}
