package org.cjassessment.core.grade;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.cjassessment.core.grade.GradeProjection.Projected;

/**
 * The boundaries' uncertainty reaches the students' grade probabilities: fewer or noisier anchors give flatter
 * probabilities. Flatness is measured as the mean, over the students, of the probability of the most likely grade
 * (the confidence we print): lower is flatter. Anchors sit at the centres of the Swedish grades E … A (a random
 * spacing and offset), so the fitted boundaries are the same however many anchors there are and whatever their SEs:
 * what differs is only how uncertain the boundaries are. Students anywhere in the anchored range with SE 0.3; each
 * comparison is on the same students. Strict inequalities: without the boundary draws both sides would be (nearly)
 * equal (the grading noise and the students' SEs are the same), so each property fails if the draws are ignored.
 */
class GradeBoundaryUncertaintyProperties {

  private static final GradeScale SWEDISH = GradeScale.byId("swedish_8_anchor");
  /**
   * One anchor per grade, so each boundary rests on the two anchors beside it. Not true as it stands with two or
   * three per grade: this property found noisy anchors giving slightly sharper grades there (mean confidence 0.6788
   * against 0.6688, SE 0.05 -> 0.55), because an anchor's SE also widens its noise in the ordered probit, which lets
   * the width prior widen the bands. Left open (see docs/GRADES.md).
   */
  @Property(tries = 30)
  void noisierAnchorsGiveFlatterProbabilities(
      @ForAll @IntRange(min = 1, max = 1) int perGrade,
      @ForAll @DoubleRange(min = 0.05, max = 0.4) double se,
      @ForAll @DoubleRange(min = 0.2, max = 0.8) double extraSe,
      @ForAll long seed) {
    Random random = new Random(seed);
    List<double[]> anchors = anchors(perGrade, random);
    List<AbilityEstimate> students = students(random);
    double precise = meanConfidence(anchors, se, students);
    double noisy = meanConfidence(anchors, se + extraSe, students);
    assertThat(noisy).as("precise %.4f, noisy %.4f", precise, noisy).isLessThan(precise);
  }

  @Property(tries = 15)
  void fewerAnchorsGiveFlatterProbabilities(
      @ForAll @DoubleRange(min = 0.2, max = 0.5) double se, @ForAll long seed) {
    Random random = new Random(seed);
    List<double[]> many = anchors(3, random);
    List<double[]> few = new ArrayList<>();
    for (int i = 0; i < many.size(); i += 3) {
      few.add(many.get(i)); // one anchor per grade, the same essays' abilities
    }
    List<AbilityEstimate> students = students(random);
    double withMany = meanConfidence(many, se, students);
    double withFew = meanConfidence(few, se, students);
    assertThat(withFew).as("many %.4f, few %.4f", withMany, withFew).isLessThan(withMany);
  }

  @Property(tries = 10)
  void withoutBoundaryDrawsTheAnchorsUncertaintyIsIgnored(@ForAll long seed) {
    Random random = new Random(seed);
    List<double[]> anchors = anchors(1, random);
    List<AbilityEstimate> students = students(random);
    double exact = meanConfidence(anchors, 0.4, students, 0);
    double drawn = meanConfidence(anchors, 0.4, students, ProjectionSettings.DEFAULT_BOUNDARY_DRAWS);
    assertThat(drawn).isLessThan(exact); // the draws are what flattens
  }

  /** {grade rank, ability}: perGrade anchors at the centre of each of the grades E … A. */
  private static List<double[]> anchors(int perGrade, Random random) {
    double spacing = 0.8 + 0.7 * random.nextDouble();
    double offset = random.nextDouble() - 0.5;
    List<double[]> out = new ArrayList<>();
    for (int rank = 1; rank < SWEDISH.allGrades().size(); rank++) {
      for (int k = 0; k < perGrade; k++) {
        out.add(new double[] {rank, offset + spacing * (rank - 4)});
      }
    }
    return out;
  }

  private static List<AbilityEstimate> students(Random random) {
    List<AbilityEstimate> out = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      out.add(new AbilityEstimate("student-" + i, -3 + 6 * random.nextDouble(), 0.3));
    }
    return out;
  }

  private static double meanConfidence(List<double[]> anchors, double se, List<AbilityEstimate> students) {
    return meanConfidence(anchors, se, students, ProjectionSettings.DEFAULT_BOUNDARY_DRAWS);
  }

  private static double meanConfidence(
      List<double[]> anchors, double se, List<AbilityEstimate> students, int draws) {
    List<AbilityEstimate> essays = new ArrayList<>(students);
    Map<String, String> grades = new HashMap<>();
    for (int i = 0; i < anchors.size(); i++) {
      String id = "anchor-" + i;
      essays.add(new AbilityEstimate(id, anchors.get(i)[1], se));
      grades.put(id, SWEDISH.allGrades().get((int) anchors.get(i)[0]));
    }
    GradeProjector projector = new GradeProjector(ProjectionSettings.DEFAULTS.withBoundaryDraws(draws));
    Projected result = (Projected) projector.project(SWEDISH, essays, grades);
    return result.students().stream().mapToDouble(StudentGrade::confidence).average().orElseThrow();
  }
}
