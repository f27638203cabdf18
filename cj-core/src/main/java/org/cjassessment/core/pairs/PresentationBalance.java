package org.cjassessment.core.pairs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Counts from the history that keep presentation order balanced per essay: a judge that prefers one slot (most LLM
 * judges prefer the second) then shifts every essay by about the same amount. The essay shown first relatively less
 * often goes first; on a tie, the order of the pair asked less; then a coin.
 */
final class PresentationBalance {

  private final Map<String, int[]> counts = new HashMap<>(); // essay → {appearances, shown first}
  private final Map<Pair, Integer> ordered = new HashMap<>();

  PresentationBalance(List<Pair> history) {
    for (Pair p : history) {
      add(p);
    }
  }

  void add(Pair p) {
    int[] f = counts.computeIfAbsent(p.first(), k -> new int[2]);
    f[0]++;
    f[1]++;
    counts.computeIfAbsent(p.second(), k -> new int[2])[0]++;
    ordered.merge(p, 1, Integer::sum);
  }

  /** Times shown first minus times shown second. */
  int skew(String essay) {
    int[] c = counts.get(essay);
    return c == null ? 0 : 2 * c[1] - c[0];
  }

  int appearances(String essay) {
    int[] c = counts.get(essay);
    return c == null ? 0 : c[0];
  }

  /** Times this unordered pair was requested, in either order. */
  int met(String a, String b) {
    return ordered.getOrDefault(new Pair(a, b), 0) + ordered.getOrDefault(new Pair(b, a), 0);
  }

  Pair orient(String a, String b, Random random) {
    int skewA = skew(a);
    int skewB = skew(b);
    if (skewA != skewB) {
      return skewA < skewB ? new Pair(a, b) : new Pair(b, a);
    }
    int ab = ordered.getOrDefault(new Pair(a, b), 0);
    int ba = ordered.getOrDefault(new Pair(b, a), 0);
    if (ab != ba) {
      return ab < ba ? new Pair(a, b) : new Pair(b, a);
    }
    return random.nextBoolean() ? new Pair(a, b) : new Pair(b, a);
  }
}
