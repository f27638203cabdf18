package org.cjassessment.core.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cjassessment.core.bt.BradleyTerry;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.EssayEstimate;
import org.cjassessment.core.bt.FitOptions;
import org.cjassessment.core.bt.FitResult;
import org.cjassessment.core.grade.GradeProjection.Projected;
import org.junit.jupiter.api.Test;

/**
 * Calibration with known truth: when we say "C, 70 %", C must be right about 70 % of the time. Simulated batches:
 * true abilities N(0, 1.5²), true grade boundaries fixed on that scale, a teacher's grade = the band containing the
 * true ability plus the grading noise N(0, σ²) (σ = the model's 0.25) — for the anchors (their known grades) and
 * for the students (the grade to predict). Judgements follow the Bradley–Terry model on random pairs; the batch is
 * fitted with the default prior and projected with the default settings (200 boundary draws). Over all students of
 * all seeds, the mean probability of the most likely grade must equal the share of students whose most likely grade
 * is their true grade.
 */
class GradeCalibrationSimulationTest {

  private static final GradeScale SWEDISH = GradeScale.SWEDISH_8_ANCHOR;
  /** True boundaries F|E … B|A. */
  private static final double[] BOUNDARIES = {-2.1, -1.5, -0.9, -0.3, 0.3, 0.9, 1.5};

  private static final double GRADING_NOISE = ProjectionSettings.DEFAULTS.gradingNoise();

  record Calibration(double meanConfidence, double accuracy, int students) {}

  @Test
  void theMostLikelyGradeIsRightAsOftenAsItsProbabilitySays() {
    for (int[] design : new int[][] {{1, 12}, {2, 12}, {3, 12}, {2, 20}}) {
      Calibration c = simulate(design[0], design[1], 30);
      System.out.printf("%d anchors per grade, %d comparisons per essay: mean confidence %.3f, right %.3f (%d)%n",
          design[0], design[1], c.meanConfidence(), c.accuracy(), c.students());
      // 1,800 students: the accuracy is known to about ±0.012 (one SE), and students of one batch share its
      // boundaries, so allow 0.05. Measured: 0.006–0.036 too confident; the model before issue 7's fix (anchors' SE
      // counted twice, raw estimates) read 0.074–0.105 too confident on the same batches.
      assertThat(c.meanConfidence()).as("design %d per grade, %d per essay", design[0], design[1])
          .isCloseTo(c.accuracy(), within(0.05));
    }
  }

  /**
   * The students' part alone, with the true boundaries: grading the raw estimate (a flat prior on the true ability)
   * is overconfident, grading the population posterior is not. Measured: raw 0.444 said, 0.359 right; posterior
   * 0.372 said, 0.370 right.
   */
  @Test
  void withTheTrueBoundariesThePopulationPosteriorIsCalibratedAndTheRawEstimateIsNot() {
    double[] sums = new double[5];
    simulate(2, 12, 30, ProjectionSettings.DEFAULTS, sums);
    double rawSaid = sums[0] / sums[4];
    double rawRight = sums[1] / sums[4];
    double posteriorSaid = sums[2] / sums[4];
    double posteriorRight = sums[3] / sums[4];
    System.out.printf("true boundaries: raw %.3f said / %.3f right, posterior %.3f said / %.3f right%n", rawSaid,
        rawRight, posteriorSaid, posteriorRight);
    assertThat(posteriorSaid).isCloseTo(posteriorRight, within(0.03));
    assertThat(rawSaid - rawRight).isGreaterThan(0.05);
  }

  private static GradeCalibration trueCalibration(GradeCalibration fitted) {
    List<GradeBoundary> boundaries = new ArrayList<>();
    for (int c = 0; c < BOUNDARIES.length; c++) {
      GradeBoundary b = fitted.boundaries().get(c);
      boundaries.add(new GradeBoundary(b.lowerGrade(), b.upperGrade(), BOUNDARIES[c]));
    }
    return new GradeCalibration(SWEDISH, boundaries, fitted.anchorCounts(), fitted.gradingNoise(),
        fitted.referenceWidth(), fitted.iterations(), fitted.converged());
  }

  static Calibration simulate(int anchorsPerGrade, int perEssay, int seeds) {
    return simulate(anchorsPerGrade, perEssay, seeds, ProjectionSettings.DEFAULTS, null);
  }

  /**
   * @param trueBoundaries when not null, also grades the students with the true boundaries and sums into it: raw
   *     confidence, raw right, posterior confidence, posterior right, count
   */
  static Calibration simulate(
      int anchorsPerGrade, int perEssay, int seeds, ProjectionSettings settings, double[] trueBoundaries) {
    double confidence = 0;
    int right = 0;
    int count = 0;
    for (int seed = 0; seed < seeds; seed++) {
      Random random = new Random(5000 + seed);
      List<Double> truth = new ArrayList<>();
      Map<String, String> anchorGrades = new HashMap<>();
      Map<String, String> studentGrades = new HashMap<>();
      // Anchors: essays whose true ability lies in each grade's band (open ends: within 0.6 of the boundary).
      for (int g = 0; g < SWEDISH.allGrades().size(); g++) {
        double lower = g == 0 ? BOUNDARIES[0] - 0.6 : BOUNDARIES[g - 1];
        double upper = g == BOUNDARIES.length ? BOUNDARIES[g - 1] + 0.6 : BOUNDARIES[g];
        for (int k = 0; k < anchorsPerGrade; k++) {
          double theta = lower + (upper - lower) * random.nextDouble();
          anchorGrades.put(id(truth.size()), teacherGrade(theta, random));
          truth.add(theta);
        }
      }
      for (int s = 0; s < 60; s++) {
        double theta = 1.5 * random.nextGaussian();
        studentGrades.put(id(truth.size()), teacherGrade(theta, random));
        truth.add(theta);
      }
      FitResult fit = BradleyTerry.fit(judge(truth, perEssay, random), FitOptions.defaults());
      List<AbilityEstimate> estimates = new ArrayList<>();
      for (EssayEstimate e : fit.essays()) {
        estimates.add(new AbilityEstimate(e.essayId(), e.score(), e.standardError().orElseThrow()));
      }
      Projected projected = (Projected) new GradeProjector(settings).project(SWEDISH, estimates, anchorGrades);
      if (trueBoundaries != null) {
        GradeCalibration exact = trueCalibration(projected.calibration());
        PopulationShrinkage shrinkage = PopulationShrinkage.of(estimates);
        for (AbilityEstimate e : estimates) {
          if (studentGrades.containsKey(e.essayId())) {
            StudentGrade raw = exact.project(e);
            StudentGrade posterior = exact.project(shrinkage.posterior(e));
            String grade = studentGrades.get(e.essayId());
            trueBoundaries[0] += raw.confidence();
            trueBoundaries[1] += raw.mostLikelyGrade().equals(grade) ? 1 : 0;
            trueBoundaries[2] += posterior.confidence();
            trueBoundaries[3] += posterior.mostLikelyGrade().equals(grade) ? 1 : 0;
            trueBoundaries[4]++;
          }
        }
      }
      for (StudentGrade student : projected.students()) {
        confidence += student.confidence();
        right += student.mostLikelyGrade().equals(studentGrades.get(student.essayId())) ? 1 : 0;
        count++;
      }
    }
    return new Calibration(confidence / count, (double) right / count, count);
  }

  private static String teacherGrade(double theta, Random random) {
    double seen = theta + GRADING_NOISE * random.nextGaussian();
    int band = 0;
    while (band < BOUNDARIES.length && seen > BOUNDARIES[band]) {
      band++;
    }
    return SWEDISH.allGrades().get(band);
  }

  private static List<Comparison> judge(List<Double> truth, int perEssay, Random random) {
    int n = truth.size();
    List<Comparison> out = new ArrayList<>();
    for (int k = 0; k < n * perEssay / 2; k++) {
      int i = k % n;
      int j = random.nextInt(n - 1);
      j = j >= i ? j + 1 : j;
      boolean iWins = random.nextDouble() < 1 / (1 + Math.exp(truth.get(j) - truth.get(i)));
      out.add(iWins ? Comparison.of(id(i), id(j)) : Comparison.of(id(j), id(i)));
    }
    return out;
  }

  private static String id(int i) {
    return String.format("e%03d", i);
  }
}
