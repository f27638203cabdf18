package org.cjassessment.app.assess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.service.batch.EssayInput;

/**
 * The batch {@code cj demo} assesses: students with hidden true abilities θ ~ N(0, σ²), anchors whose grade is
 * known, and short generated texts (no real student writes here).
 *
 * <p>Truth and grades are consistent by construction: the scale's population priors cut the N(0, σ²) ability
 * distribution into grade bands (cumulative prior → normal quantile), a student's true grade is the band its θ
 * falls in, and an anchor of grade g sits at the middle of g's band (the quantile of the band's mid probability).
 * Anchors are spread evenly over the scale's grades, lowest to highest.
 */
public record DemoBatch(List<EssayInput> essays, Map<String, Double> abilities, Map<String, String> trueGrades,
    GradeScale scale) {

  /** Spread of true abilities, logits: like the spread of a real cohort's CJ scores. */
  static final double ABILITY_SD = 1.5;

  public static DemoBatch generate(int students, int anchors, long seed) {
    GradeScale scale = GradeScale.DEFAULT;
    List<String> grades = scale.grades();
    double[] upper = new double[grades.size()]; // upper ability bound of each grade band
    double cumulative = 0;
    for (int g = 0; g < grades.size(); g++) {
      cumulative += scale.populationPriors().get(grades.get(g));
      upper[g] = g == grades.size() - 1 ? Double.POSITIVE_INFINITY
          : ABILITY_SD * quantile(Math.min(cumulative, 1 - 1e-9));
    }
    SplittableRandom random = new SplittableRandom(seed);
    DemoTexts texts = new DemoTexts(random.split());
    List<EssayInput> essays = new ArrayList<>();
    Map<String, Double> abilities = new LinkedHashMap<>();
    Map<String, String> trueGrades = new LinkedHashMap<>();
    for (int i = 1; i <= students; i++) {
      String id = String.format("student-%03d", i);
      double theta = ABILITY_SD * gaussian(random);
      essays.add(EssayInput.student(id, texts.essay(theta)));
      abilities.put(id, theta);
      trueGrades.put(id, grades.get(band(upper, theta)));
    }
    for (int k = 0; k < anchors; k++) {
      int g = anchors == 1 ? grades.size() / 2 : (int) Math.round(k * (grades.size() - 1) / (double) (anchors - 1));
      String grade = grades.get(g);
      double below = cumulativeBelow(scale, g);
      double theta = ABILITY_SD * quantile(below + scale.populationPriors().get(grade) / 2);
      String id = String.format("anchor-%02d-%s", k + 1, grade.replace("+", "plus"));
      essays.add(EssayInput.anchor(id, texts.essay(theta), grade));
      abilities.put(id, theta);
      trueGrades.put(id, grade);
    }
    return new DemoBatch(List.copyOf(essays), Map.copyOf(abilities), Map.copyOf(trueGrades), scale);
  }

  private static double cumulativeBelow(GradeScale scale, int g) {
    double sum = 0;
    for (int i = 0; i < g; i++) {
      sum += scale.populationPriors().get(scale.grades().get(i));
    }
    return sum;
  }

  private static int band(double[] upper, double theta) {
    for (int g = 0; g < upper.length; g++) {
      if (theta < upper[g]) {
        return g;
      }
    }
    return upper.length - 1;
  }

  /**
   * The standard normal quantile, Acklam's rational approximation (relative error below 1.2e-9; cj-core's exact
   * one is internal to grade projection). Checked against tabulated values in {@code DemoBatchTest}.
   */
  static double quantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("quantile needs 0 < p < 1, was " + p);
    }
    double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
        -3.066479806614716e+01, 2.506628277459239e+00};
    double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
        -1.328068155288572e+01};
    double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
        4.374664141464968e+00, 2.938163982698783e+00};
    double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    double low = 0.02425;
    if (p < low || p > 1 - low) {
      double q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
      double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
      return p < low ? x : -x;
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
