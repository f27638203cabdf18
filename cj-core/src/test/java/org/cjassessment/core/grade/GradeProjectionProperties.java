package org.cjassessment.core.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.cjassessment.core.grade.GradeProjection.Projected;

/**
 * Invariants of the grade model over arbitrary scales, anchor sets (out of order, tied, of two grades only, far
 * apart) and students, including abilities and standard errors up to the accepted limits
 * ({@link AbilityEstimate#MAX_ABS_ABILITY}, {@link AbilityEstimate#MAX_STANDARD_ERROR}).
 */
class GradeProjectionProperties {

  private static final int TRIES = 200;

  /** One generated batch: a scale, anchors with categories in its {@link GradeScale#allGrades()}, students. */
  record Batch(GradeScale scale, List<AbilityEstimate> essays, Map<String, String> anchors) {

    Projected project() {
      GradeProjection result = GradeProjector.withDefaults().project(scale, essays, anchors);
      assertThat(result).isInstanceOf(Projected.class);
      return (Projected) result;
    }
  }

  record RawAnchor(int category, double ability, double se) {}

  @Provide
  Arbitrary<Double> abilities() {
    return Arbitraries.frequencyOf(
        weighted(6, Arbitraries.doubles().between(-6, 6)),
        weighted(2, Arbitraries.of(-1.0, 0.0, 0.5, 1.0)), // ties
        weighted(1, Arbitraries.doubles().between(-40, 40)),
        weighted(1, Arbitraries.doubles().between(-AbilityEstimate.MAX_ABS_ABILITY, AbilityEstimate.MAX_ABS_ABILITY)));
  }

  @Provide
  Arbitrary<Double> standardErrors() {
    return Arbitraries.frequencyOf(
        weighted(6, Arbitraries.doubles().between(0, 2)),
        weighted(1, Arbitraries.just(0.0)),
        weighted(1, Arbitraries.doubles().between(0, 100)),
        weighted(1, Arbitraries.doubles().between(0, AbilityEstimate.MAX_STANDARD_ERROR)));
  }

  private static Tuple2<Integer, Arbitrary<? extends Double>> weighted(int weight, Arbitrary<Double> a) {
    return Tuple.of(weight, a);
  }

  @Provide
  Arbitrary<Batch> batches() {
    Arbitrary<RawAnchor> anchor =
        Combinators.combine(Arbitraries.integers().between(0, 9), abilities(), standardErrors()).as(RawAnchor::new);
    Arbitrary<List<RawAnchor>> anchors = anchor.list().ofMinSize(2).ofMaxSize(16);
    Arbitrary<List<Double>> students = abilities().list().ofMinSize(0).ofMaxSize(6);
    return Combinators.combine(Arbitraries.of(GradeScale.class), anchors, students, standardErrors())
        .as(GradeProjectionProperties::batch);
  }

  private static Batch batch(GradeScale scale, List<RawAnchor> raw, List<Double> students, double studentSe) {
    List<String> grades = scale.allGrades();
    List<AbilityEstimate> essays = new ArrayList<>();
    Map<String, String> anchors = new LinkedHashMap<>();
    int first = raw.get(0).category() % grades.size();
    boolean twoGrades = raw.stream().anyMatch(r -> r.category() % grades.size() != first);
    for (int i = 0; i < raw.size(); i++) {
      RawAnchor r = raw.get(i);
      int category = (i == 1 && !twoGrades) ? (first + 1) % grades.size() : r.category() % grades.size();
      essays.add(new AbilityEstimate("anchor-" + i, r.ability(), r.se()));
      anchors.put("anchor-" + i, grades.get(category));
    }
    for (int i = 0; i < students.size(); i++) {
      essays.add(new AbilityEstimate("student-" + i, students.get(i), studentSe));
    }
    return new Batch(scale, essays, anchors);
  }

  @Property(tries = TRIES)
  void boundariesAreFiniteAndStrictlyIncreasing(@ForAll("batches") Batch batch) {
    GradeCalibration c = batch.project().calibration();
    assertThat(c.boundaries()).hasSize(batch.scale().allGrades().size() - 1);
    for (int i = 0; i < c.boundaries().size(); i++) {
      double x = c.boundaries().get(i).ability();
      assertThat(x).isFinite();
      if (i > 0) {
        assertThat(x).isGreaterThan(c.boundaries().get(i - 1).ability());
      }
    }
    assertThat(c.referenceWidth()).isFinite().isPositive();
    assertThat(c.converged()).as("fit converged in %d iterations", c.iterations()).isTrue();
  }

  @Property(tries = TRIES)
  void everyStudentGetsAProbabilityDistributionWithoutNaN(@ForAll("batches") Batch batch) {
    Projected result = batch.project();
    int m = batch.scale().allGrades().size();
    assertThat(result.students()).hasSize(batch.essays().size() - batch.anchors().size());
    for (StudentGrade s : result.students()) {
      assertThat(s.probabilities()).extracting(GradeProbability::grade).isEqualTo(batch.scale().allGrades());
      double sum = 0;
      for (GradeProbability p : s.probabilities()) {
        assertThat(p.probability()).isBetween(0.0, 1.0);
        sum += p.probability();
      }
      assertThat(sum).isCloseTo(1, within(1e-9));
      assertThat(s.confidence()).isFinite().isBetween(1.0 / m - 1e-12, 1.0);
      assertThat(s.confidence()).isEqualTo(s.probabilityOf(s.mostLikelyGrade()));
      assertThat(s.confidenceLabel()).isEqualTo(ConfidenceLabel.of(s.confidence()));
      assertThat(s.probabilities()).allSatisfy(p -> assertThat(p.probability()).isLessThanOrEqualTo(s.confidence()));
    }
  }

  /**
   * Monotonicity: with equal SE, a higher ability never gets a lower most likely grade. Holds exactly because the
   * normal location family has a monotone likelihood ratio, so P(grade j)/P(grade i) for j above i increases with
   * the ability; the gap is at least 1e-3 of the total noise so that rounding cannot fake a tie.
   */
  @Property(tries = TRIES)
  void aHigherAbilityNeverGetsALowerMostLikelyGrade(
      @ForAll("batches") Batch batch,
      @ForAll("abilities") double ability,
      @ForAll("standardErrors") double se,
      @ForAll @DoubleRange(min = 1e-3, max = 20) @Scale(4) double gapInNoiseUnits) {
    GradeCalibration c = batch.project().calibration();
    double total = Math.hypot(c.gradingNoise(), se);
    double higher = Math.min(ability + gapInNoiseUnits * total, AbilityEstimate.MAX_ABS_ABILITY);
    if (!(higher > ability)) {
      return;
    }
    GradeScale scale = batch.scale();
    String low = c.project(new AbilityEstimate("low", ability, se)).mostLikelyGrade();
    String high = c.project(new AbilityEstimate("high", higher, se)).mostLikelyGrade();
    assertThat(scale.rankOf(high)).as("%s at %s vs %s at %s", low, ability, high, higher)
        .isGreaterThanOrEqualTo(scale.rankOf(low));
  }

  /**
   * A larger SE never raises the probability of the grade whose band contains the ability. (The maximum probability
   * itself is not monotone in the SE: an ability in a narrow band next to a wide one can see the wide band's
   * probability grow. This is the property the model does satisfy: d/dT [Φ((u−θ)/T) − Φ((l−θ)/T)] ≤ 0 whenever
   * l ≤ θ ≤ u.)
   */
  @Property(tries = TRIES)
  void aLargerStandardErrorNeverRaisesTheProbabilityOfTheContainingGrade(
      @ForAll("batches") Batch batch,
      @ForAll("abilities") double ability,
      @ForAll("standardErrors") double se,
      @ForAll @DoubleRange(min = 0, max = 50) double extra) {
    GradeCalibration c = batch.project().calibration();
    String containing = c.gradeContaining(ability);
    double larger = Math.min(se + extra, AbilityEstimate.MAX_STANDARD_ERROR);
    double before = c.project(new AbilityEstimate("s", ability, se)).probabilityOf(containing);
    double after = c.project(new AbilityEstimate("s", ability, larger)).probabilityOf(containing);
    assertThat(after).isLessThanOrEqualTo(before + 1e-12);
  }

  @Property(tries = 50)
  void theResultDoesNotDependOnInputOrder(@ForAll("batches") Batch batch) {
    List<AbilityEstimate> shuffled = new ArrayList<>(batch.essays());
    Collections.shuffle(shuffled, new Random(shuffled.size()));
    Map<String, String> anchors = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>(batch.anchors().keySet());
    Collections.reverse(ids);
    ids.forEach(id -> anchors.put(id, batch.anchors().get(id)));

    assertThat(new Batch(batch.scale(), shuffled, anchors).project()).isEqualTo(batch.project());
  }
}
