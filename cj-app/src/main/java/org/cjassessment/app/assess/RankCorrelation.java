package org.cjassessment.app.assess;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Spearman's rank correlation: Pearson's correlation of the ranks, tied values sharing their mean rank. */
public final class RankCorrelation {

  private RankCorrelation() {}

  /** Over the ids present in both maps; empty with fewer than 3 of them or when one side is constant. */
  public static OptionalDouble spearman(Map<String, Double> x, Map<String, Double> y) {
    List<String> ids = x.keySet().stream().filter(y::containsKey).sorted().toList();
    if (ids.size() < 3) {
      return OptionalDouble.empty();
    }
    double[] rx = ranks(ids.stream().mapToDouble(x::get).toArray());
    double[] ry = ranks(ids.stream().mapToDouble(y::get).toArray());
    return pearson(rx, ry);
  }

  static double[] ranks(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
    double[] ranks = new double[values.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
        j++;
      }
      double mean = (i + j) / 2.0 + 1; // ranks are 1-based
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = mean;
      }
      i = j + 1;
    }
    return ranks;
  }

  private static OptionalDouble pearson(double[] a, double[] b) {
    double ma = Arrays.stream(a).average().orElse(0);
    double mb = Arrays.stream(b).average().orElse(0);
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa == 0 || sbb == 0 ? OptionalDouble.empty() : OptionalDouble.of(sab / Math.sqrt(saa * sbb));
  }
}
