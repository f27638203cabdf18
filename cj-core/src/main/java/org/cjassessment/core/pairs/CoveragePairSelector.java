package org.cjassessment.core.pairs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The default selector: coverage first, balance always. Each wave pairs every essay at most once; essays with the
 * fewest appearances are matched first, each with the partner it has met least (never-met first), then the partner
 * with the fewest appearances. When every pair has been met, pairs repeat evenly. Orientation evens out how often
 * each essay is shown first, and for a repeated pair prefers the order it was asked less.
 *
 * <p>Greedy rather than an optimal weighted matching: O(n²) per wave below {@value #FULL_SCAN_LIMIT} essays and
 * O(n·{@value #SAMPLED_CANDIDATES}) above, and the balance it gives is within one appearance of the optimum.
 */
public final class CoveragePairSelector implements PairSelector {

  static final int FULL_SCAN_LIMIT = 2000;
  static final int SAMPLED_CANDIDATES = 256;

  @Override
  public List<Pair> select(List<String> essays, List<Pair> history, int maxPairs, long seed) {
    int n = essays.size();
    if (n < 2 || maxPairs <= 0) {
      return List.of();
    }
    String[] ids = essays.stream().sorted().distinct().toArray(String[]::new);
    n = ids.length;
    Map<String, Integer> index = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      index.put(ids[i], i);
    }
    int[] appearances = new int[n];
    int[] shownFirst = new int[n];
    Map<Long, int[]> met = new HashMap<>(); // unordered pair → {times lower-id first, times higher-id first}
    for (Pair p : history) {
      Integer f = index.get(p.first());
      Integer s = index.get(p.second());
      if (f == null || s == null) {
        continue;
      }
      appearances[f]++;
      appearances[s]++;
      shownFirst[f]++;
      met.computeIfAbsent(key(f, s, n), k -> new int[2])[f < s ? 0 : 1]++;
    }
    Random random = new Random(seed);
    double[] tieBreak = new double[n];
    for (int i = 0; i < n; i++) {
      tieBreak[i] = random.nextDouble();
    }
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (x, y) -> appearances[x] != appearances[y] ? Integer.compare(appearances[x], appearances[y])
        : Double.compare(tieBreak[x], tieBreak[y]));

    boolean[] used = new boolean[n];
    List<int[]> matched = new ArrayList<>();
    for (int k = 0; k < n && matched.size() < maxPairs; k++) {
      int i = order[k];
      if (used[i]) {
        continue;
      }
      int best = -1;
      long bestKey = Long.MAX_VALUE;
      double bestTie = 0;
      int scan = n <= FULL_SCAN_LIMIT ? n : SAMPLED_CANDIDATES;
      for (int t = 0; t < scan; t++) {
        int j = n <= FULL_SCAN_LIMIT ? t : random.nextInt(n);
        if (j == i || used[j]) {
          continue;
        }
        int[] m = met.get(key(i, j, n));
        long times = m == null ? 0 : m[0] + m[1];
        // fewest meetings, then the partner seen least, then the pair whose orientation keeps both essays'
        // first/second balance closest to even (two essays that both went first more often cannot both go second)
        long candidateKey = times * 1_000_000L + appearances[j] * 16L + balanceCost(i, j, appearances, shownFirst);
        double tie = tieBreak[j];
        if (candidateKey < bestKey || (candidateKey == bestKey && tie < bestTie)) {
          best = j;
          bestKey = candidateKey;
          bestTie = tie;
        }
      }
      if (best < 0) {
        continue;
      }
      used[i] = true;
      used[best] = true;
      matched.add(new int[] {i, best});
    }
    repairRepeats(matched, met, n);
    List<Pair> wave = new ArrayList<>(matched.size());
    for (int[] m : matched) {
      wave.add(orient(m[0], m[1], ids, appearances, shownFirst, met.get(key(m[0], m[1], n)), random));
    }
    return wave;
  }

  /**
   * Greedy matching can leave the last essays with only partners they have met. Swap partners between two pairs of
   * the wave (2-opt) whenever that lowers the number of earlier meetings, until no swap helps.
   */
  private static void repairRepeats(List<int[]> matched, Map<Long, int[]> met, int n) {
    boolean improved = true;
    for (int round = 0; improved && round < 8; round++) {
      improved = false;
      for (int p = 0; p < matched.size(); p++) {
        int[] x = matched.get(p);
        int cost = times(met, x[0], x[1], n);
        if (cost == 0) {
          continue;
        }
        for (int q = 0; q < matched.size(); q++) {
          if (q == p) {
            continue;
          }
          int[] y = matched.get(q);
          int before = cost + times(met, y[0], y[1], n);
          int straight = times(met, x[0], y[0], n) + times(met, x[1], y[1], n);
          int crossed = times(met, x[0], y[1], n) + times(met, x[1], y[0], n);
          if (straight < before && straight <= crossed) {
            matched.set(p, new int[] {x[0], y[0]});
            matched.set(q, new int[] {x[1], y[1]});
            improved = true;
            break;
          }
          if (crossed < before) {
            matched.set(p, new int[] {x[0], y[1]});
            matched.set(q, new int[] {x[1], y[0]});
            improved = true;
            break;
          }
        }
      }
    }
  }

  private static int times(Map<Long, int[]> met, int i, int j, int n) {
    int[] m = met.get(key(i, j, n));
    return m == null ? 0 : m[0] + m[1];
  }

  /** The larger |shown first − shown second| of the two essays once the pair is oriented, capped at 15. */
  private static int balanceCost(int i, int j, int[] appearances, int[] shownFirst) {
    int skewI = 2 * shownFirst[i] - appearances[i];
    int skewJ = 2 * shownFirst[j] - appearances[j];
    int low = Math.min(skewI, skewJ) + 1;
    int high = Math.max(skewI, skewJ) - 1;
    return Math.min(15, Math.max(Math.abs(low), Math.abs(high)));
  }

  /** Shows first the essay that has been shown first relatively less; for a repeated pair, the less-asked order. */
  private static Pair orient(int i, int j, String[] ids, int[] appearances, int[] shownFirst, int[] met,
      Random random) {
    int skewI = 2 * shownFirst[i] - appearances[i];
    int skewJ = 2 * shownFirst[j] - appearances[j];
    boolean iFirst;
    if (skewI != skewJ) {
      iFirst = skewI < skewJ;
    } else if (met != null && met[0] != met[1]) {
      int lo = Math.min(i, j);
      boolean lowerFirstAskedLess = met[0] < met[1];
      iFirst = (i == lo) == lowerFirstAskedLess;
    } else {
      iFirst = random.nextBoolean();
    }
    return iFirst ? new Pair(ids[i], ids[j]) : new Pair(ids[j], ids[i]);
  }

  private static long key(int i, int j, int n) {
    return (long) Math.min(i, j) * n + Math.max(i, j);
  }
}
