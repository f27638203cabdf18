package org.cjassessment.core.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.core.grade.Normal;

/**
 * The hidden truth of a simulated batch: every essay's ability, and every essay's grade from boundaries at the normal
 * quantiles of the scale's population priors (so the true grades follow the national distribution).
 */
record Truth(Map<String, Double> abilities, Map<String, String> grades, List<String> students,
    Map<String, String> anchorGrades) {

  static Truth draw(SimulationSettings s) {
    Random random = new Random(s.seed() * 0x9E3779B97F4A7C15L + 17);
    double[] boundaries = boundaries(s.scale());
    Map<String, Double> abilities = new LinkedHashMap<>();
    Map<String, String> grades = new TreeMap<>();
    List<String> students = new ArrayList<>();
    int width = Integer.toString(Math.max(s.students(), s.anchors())).length();
    for (int i = 0; i < s.students(); i++) {
      String id = "s" + pad(i + 1, width);
      double theta = random.nextGaussian();
      abilities.put(id, theta);
      grades.put(id, grade(s.scale(), boundaries, theta));
      students.add(id);
    }
    Map<String, String> anchorGrades = new TreeMap<>();
    for (int k = 0; k < s.anchors(); k++) {
      String id = "a" + pad(k + 1, width);
      double theta = Normal.quantile((k + 0.5) / s.anchors());
      abilities.put(id, theta);
      String grade = grade(s.scale(), boundaries, theta);
      grades.put(id, grade);
      anchorGrades.put(id, grade);
    }
    return new Truth(abilities, grades, students, anchorGrades);
  }

  List<String> essays() {
    return List.copyOf(abilities.keySet());
  }

  /** Boundaries between consecutive grades of the scale (below-lowest grade not used). */
  static double[] boundaries(GradeScale scale) {
    List<Double> priors = List.copyOf(scale.populationPriors().values());
    double[] b = new double[priors.size() - 1];
    double cumulative = 0;
    for (int k = 0; k < b.length; k++) {
      cumulative += priors.get(k);
      b[k] = Normal.quantile(cumulative);
    }
    return b;
  }

  private static String grade(GradeScale scale, double[] boundaries, double theta) {
    int c = 0;
    while (c < boundaries.length && theta > boundaries[c]) {
      c++;
    }
    return scale.grades().get(c);
  }

  private static String pad(int v, int width) {
    return String.format("%0" + width + "d", v);
  }
}
