package org.cjassessment.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cjassessment.core.bt.Comparison;

/**
 * Baseline: the classic MM algorithm for Bradley–Terry (Zermelo 1929; Hunter 2004), γᵢ ← Wᵢ / Σⱼ nᵢⱼ/(γᵢ+γⱼ),
 * iterated until the largest change of log γ (centred) is below the tolerance — what most CJ tools run. Every
 * essay also gets one virtual comparison (half a win, half a loss) against a fixed reference of strength 1, the
 * usual regularisation that keeps unbeaten essays finite, so it converges on any graph.
 */
final class MmBaseline {

  private final int n;
  private final int[] a;
  private final int[] b;
  private final double[] count;
  private final double[] wins;

  private MmBaseline(int n, int[] a, int[] b, double[] count, double[] wins) {
    this.n = n;
    this.a = a;
    this.b = b;
    this.count = count;
    this.wins = wins;
  }

  static MmBaseline of(List<Comparison> comparisons) {
    Map<String, Integer> index = new HashMap<>();
    Map<Long, double[]> pairs = new HashMap<>();
    for (Comparison c : comparisons) {
      index.putIfAbsent(c.winner(), index.size());
      index.putIfAbsent(c.loser(), index.size());
    }
    double[] wins = new double[index.size()];
    for (Comparison c : comparisons) {
      int w = index.get(c.winner());
      int l = index.get(c.loser());
      wins[w]++;
      long key = (long) Math.min(w, l) * index.size() + Math.max(w, l);
      pairs.computeIfAbsent(key, k -> new double[1])[0]++;
    }
    int[] a = new int[pairs.size()];
    int[] b = new int[pairs.size()];
    double[] count = new double[pairs.size()];
    int r = 0;
    for (Map.Entry<Long, double[]> e : pairs.entrySet()) {
      a[r] = (int) (e.getKey() / index.size());
      b[r] = (int) (e.getKey() % index.size());
      count[r++] = e.getValue()[0];
    }
    return new MmBaseline(index.size(), a, b, count, wins);
  }

  double[] fit(double tolerance, int maxIterations) {
    double[] gamma = new double[n];
    java.util.Arrays.fill(gamma, 1);
    double[] denominator = new double[n];
    double[] theta = new double[n];
    for (int it = 0; it < maxIterations; it++) {
      java.util.Arrays.fill(denominator, 0);
      for (int r = 0; r < a.length; r++) {
        double d = count[r] / (gamma[a[r]] + gamma[b[r]]);
        denominator[a[r]] += d;
        denominator[b[r]] += d;
      }
      double mean = 0;
      double[] next = new double[n];
      for (int i = 0; i < n; i++) {
        next[i] = Math.log((wins[i] + 0.5) / (denominator[i] + 1 / (gamma[i] + 1)));
        mean += next[i] / n;
      }
      double change = 0;
      for (int i = 0; i < n; i++) {
        next[i] -= mean;
        change = Math.max(change, Math.abs(next[i] - theta[i]));
        theta[i] = next[i];
        gamma[i] = Math.exp(theta[i]);
      }
      if (change < tolerance) {
        break;
      }
    }
    return theta;
  }
}
