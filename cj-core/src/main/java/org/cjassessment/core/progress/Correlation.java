package org.cjassessment.core.progress;

import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;

/** Pearson and Spearman correlation over the keys two maps share. */
public final class Correlation {

  private Correlation() {}

  public static OptionalDouble pearson(Map<String, Double> x, Map<String, Double> y) {
    double[][] xy = paired(x, y);
    return pearson(xy[0], xy[1]);
  }

  public static OptionalDouble spearman(Map<String, Double> x, Map<String, Double> y) {
    double[][] xy = paired(x, y);
    return pearson(ranks(xy[0]), ranks(xy[1]));
  }

  public static OptionalDouble pearson(double[] x, double[] y) {
    int n = x.length;
    if (n < 2) {
      return OptionalDouble.empty();
    }
    double mx = Arrays.stream(x).average().orElse(0);
    double my = Arrays.stream(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    if (!(sxx > 0 && syy > 0)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(sxy / Math.sqrt(sxx * syy));
  }

  /** 1-based ranks, ties sharing their mean rank. */
  static double[] ranks(double[] v) {
    int n = v.length;
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
    double[] rank = new double[n];
    int k = 0;
    while (k < n) {
      int end = k;
      while (end + 1 < n && v[order[end + 1]] == v[order[k]]) {
        end++;
      }
      double mean = (k + end) / 2.0 + 1;
      for (int t = k; t <= end; t++) {
        rank[order[t]] = mean;
      }
      k = end + 1;
    }
    return rank;
  }

  private static double[][] paired(Map<String, Double> x, Map<String, Double> y) {
    double[] a = new double[x.size()];
    double[] b = new double[x.size()];
    int k = 0;
    for (Map.Entry<String, Double> e : x.entrySet()) {
      Double other = y.get(e.getKey());
      if (other != null) {
        a[k] = e.getValue();
        b[k] = other;
        k++;
      }
    }
    return new double[][] {Arrays.copyOf(a, k), Arrays.copyOf(b, k)};
  }
}
