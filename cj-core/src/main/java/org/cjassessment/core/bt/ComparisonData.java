package org.cjassessment.core.bt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Comparisons indexed by essay (ids in ascending order) and aggregated into records: one per (pair, presentation
 * order) with its count and the wins of the first-listed essay. Repeated comparisons cost nothing extra in the fit.
 */
final class ComparisonData {

  final String[] ids;
  /** record r: essays a[r] < b[r] (by index), n[r] comparisons, winsA[r] of them won by a[r] (fractional with soft
   * outcomes). */
  final int[] a;
  final int[] b;
  final double[] n;
  final double[] winsA;
  /** Σ over the record's comparisons of a[r]'s squared outcome (= winsA for hard outcomes): the Pearson statistic
   * of soft outcomes needs it. */
  final double[] squaresA;
  /** +1 when a[r] was shown first, -1 when b[r] was, 0 when the order is unknown. */
  final int[] order;
  final int[] comparisons;
  final int[] wins;
  final int totalComparisons;
  final boolean anyOrderKnown;
  /** Comparisons with a soft outcome (winner probability below 1). */
  final int softComparisons;

  private ComparisonData(
      String[] ids, int[] a, int[] b, double[] n, double[] winsA, double[] squaresA, int[] order, int[] comparisons,
      int[] wins, int total, boolean anyOrderKnown, int softComparisons) {
    this.ids = ids;
    this.a = a;
    this.b = b;
    this.n = n;
    this.winsA = winsA;
    this.squaresA = squaresA;
    this.order = order;
    this.comparisons = comparisons;
    this.wins = wins;
    this.totalComparisons = total;
    this.anyOrderKnown = anyOrderKnown;
    this.softComparisons = softComparisons;
  }

  static ComparisonData of(List<Comparison> comparisons, List<String> extraEssays) {
    TreeSet<String> sorted = new TreeSet<>(extraEssays);
    for (Comparison c : comparisons) {
      sorted.add(c.winner());
      sorted.add(c.loser());
    }
    String[] ids = sorted.toArray(String[]::new);
    Map<String, Integer> index = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      index.put(ids[i], i);
    }
    int[] perEssay = new int[ids.length];
    int[] winsPerEssay = new int[ids.length];
    Map<Long, Integer> recordOf = new HashMap<>();
    List<int[]> keys = new ArrayList<>();
    List<double[]> counts = new ArrayList<>();
    boolean anyOrder = false;
    int soft = 0;
    for (Comparison c : comparisons) {
      int w = index.get(c.winner());
      int l = index.get(c.loser());
      perEssay[w]++;
      perEssay[l]++;
      winsPerEssay[w]++;
      int lo = Math.min(w, l);
      int hi = Math.max(w, l);
      int ord = 0;
      if (c.orderKnown()) {
        anyOrder = true;
        ord = index.get(c.firstShown()) == lo ? 1 : -1;
      }
      long key = ((long) lo * ids.length + hi) * 3 + (ord + 1);
      Integer r = recordOf.get(key);
      if (r == null) {
        r = keys.size();
        recordOf.put(key, r);
        keys.add(new int[] {lo, hi, ord});
        counts.add(new double[3]);
      }
      double[] nw = counts.get(r);
      nw[0] += 1;
      // A soft outcome counts as p of a win for the winner and 1 − p for the loser (weighted likelihood).
      double y = w == lo ? c.winnerProbability() : 1 - c.winnerProbability();
      nw[1] += y;
      nw[2] += y * y;
      if (c.winnerProbability() < 1) {
        soft++;
      }
    }
    int size = keys.size();
    int[] a = new int[size];
    int[] b = new int[size];
    int[] order = new int[size];
    double[] n = new double[size];
    double[] winsA = new double[size];
    double[] squaresA = new double[size];
    for (int r = 0; r < size; r++) {
      int[] k = keys.get(r);
      a[r] = k[0];
      b[r] = k[1];
      order[r] = k[2];
      n[r] = counts.get(r)[0];
      winsA[r] = counts.get(r)[1];
      squaresA[r] = counts.get(r)[2];
    }
    return new ComparisonData(ids, a, b, n, winsA, squaresA, order, perEssay, winsPerEssay, comparisons.size(),
        anyOrder, soft);
  }

  int essays() {
    return ids.length;
  }

  int records() {
    return a.length;
  }

  /** The records whose two essays both lie in the same group (per-component fit drops the others). */
  ComparisonData within(int[] group) {
    int kept = 0;
    boolean[] keep = new boolean[records()];
    for (int r = 0; r < records(); r++) {
      keep[r] = group[a[r]] == group[b[r]];
      if (keep[r]) {
        kept++;
      }
    }
    int[] na = new int[kept];
    int[] nb = new int[kept];
    int[] no = new int[kept];
    double[] nn = new double[kept];
    double[] nw = new double[kept];
    double[] ns = new double[kept];
    boolean anyOrder = false;
    int k = 0;
    for (int r = 0; r < records(); r++) {
      if (keep[r]) {
        na[k] = a[r];
        nb[k] = b[r];
        no[k] = order[r];
        nn[k] = n[r];
        nw[k] = winsA[r];
        ns[k] = squaresA[r];
        anyOrder |= order[r] != 0;
        k++;
      }
    }
    return new ComparisonData(ids, na, nb, nn, nw, ns, no, comparisons, wins, totalComparisons, anyOrder,
        softComparisons);
  }

  /** The same records with the presentation order forgotten (records that differ only by order stay apart). */
  ComparisonData withoutOrder() {
    return new ComparisonData(ids, a, b, n, winsA, squaresA, new int[a.length], comparisons, wins, totalComparisons,
        false, softComparisons);
  }

  @Override
  public String toString() {
    return "ComparisonData[essays=" + ids.length + ", records=" + a.length + ", comparisons=" + totalComparisons
        + ", ids=" + Arrays.toString(Arrays.copyOf(ids, Math.min(5, ids.length))) + "...]";
  }
}
