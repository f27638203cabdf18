package org.cjassessment.core.pairs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;

/**
 * Chooses each wave for what the user needs from the current fit: a ranking, and grades for the students near a
 * boundary.
 *
 * <p>Worth of a pair (i, j): {@code p̄(1 − p̄)·V}, with V = Var(θᵢ − θⱼ) from the fit and p̄ = σ(d̂ / √(1 + πV/8))
 * the predictive probability that i wins: the Fisher information of one comparison about the difference, times its
 * current variance — to first order the share of that variance one more comparison removes. Large when the order of
 * the two is uncertain (d̂ small against √V) and when they are still poorly measured; near zero for an order the
 * data already settle. (Chosen over {@code log(1 + p̄(1 − p̄)·V)}, the exact Gaussian gain, and over a Thompson-sampled
 * variant because it reached Spearman 0.9 with the fewest comparisons in {@code cj simulate}; docs/PAIRING.md.) A student whose most likely grade is uncertain gets that
 * worth raised for anchors near the boundary closest to it ({@link #GRADE_WEIGHT}), because comparisons with those
 * anchors are what place the student relative to the boundary.
 *
 * <p>Rules: every essay at most once per wave and never above the cap on appearances; a pair already asked is worth
 * {@link #REPEAT_DISCOUNT} per earlier request, so it is chosen only when every unmet pair left for its essays is
 * worth less than that (an unmet pair worth at least as much is always preferred); presentation order balanced per
 * essay ({@link PresentationBalance}). The wave is a greedy maximum-worth matching (at least half the optimum, in
 * practice close to it). Before the first judgement there is no fit and the wave is the coverage selector's.
 *
 * <p>Cost: all pairs up to {@value #FULL_SCAN_LIMIT} eligible essays, above that each essay's
 * {@value #NEIGHBOURS} nearest neighbours by score (the only pairs with non-negligible worth once the scores
 * spread), so O(n log n) per wave.
 */
public final class AdaptivePairSelector implements PairSelector {

  /** Worth factor per earlier request of the same pair. */
  static final double REPEAT_DISCOUNT = 0.25;
  /** How much a grade-uncertain student's pairing with an anchor near its boundary is raised (at full doubt). */
  static final double GRADE_WEIGHT = 2.0;
  /** Width (logits) of "near the boundary" on top of the anchor's own SE. */
  static final double BOUNDARY_WIDTH = 0.5;
  static final int FULL_SCAN_LIMIT = 600;
  static final int NEIGHBOURS = 48;

  private final CoveragePairSelector fallback = new CoveragePairSelector();

  @Override
  public List<Pair> select(List<String> essays, List<Pair> history, int maxPairs, long seed) {
    return select(WaveRequest.of(essays, history, maxPairs, seed));
  }

  @Override
  public List<Pair> select(WaveRequest request) {
    if (request.estimate().isEmpty()) {
      return fallback.select(request);
    }
    String[] ids = request.eligibleEssays().stream().sorted().distinct().toArray(String[]::new);
    int m = ids.length;
    if (m < 2 || request.maxPairs() <= 0) {
      return List.of();
    }
    PairWorth worth = PairWorth.of(request.estimate().get(), ids);
    PresentationBalance balance = new PresentationBalance(request.history());
    Random random = new Random(request.seed());
    List<Candidate> candidates = new ArrayList<>();
    for (int[] ij : worth.candidatePairs()) {
      int met = balance.met(ids[ij[0]], ids[ij[1]]);
      double w = worth.of(ij[0], ij[1]) * Math.pow(REPEAT_DISCOUNT, met);
      candidates.add(new Candidate(ij[0], ij[1], w, random.nextDouble()));
    }
    candidates.sort((x, y) -> x.worth != y.worth ? Double.compare(y.worth, x.worth)
        : Double.compare(x.tieBreak, y.tieBreak));
    boolean[] used = new boolean[m];
    List<int[]> matched = new ArrayList<>();
    for (Candidate c : candidates) {
      if (matched.size() >= request.maxPairs()) {
        break;
      }
      if (used[c.i] || used[c.j]) {
        continue;
      }
      used[c.i] = true;
      used[c.j] = true;
      matched.add(new int[] {c.i, c.j});
    }
    repairRepeats(matched, worth, ids, balance);
    List<Pair> wave = new ArrayList<>(matched.size());
    for (int[] ij : matched) {
      wave.add(balance.orient(ids[ij[0]], ids[ij[1]], random));
    }
    return wave;
  }

  /**
   * Greedy matching can leave the last essays with only partners they have met. Swap partners with another pair of
   * the wave (2-opt) when both new pairs are unmet and the wave's worth does not drop, until no swap helps.
   */
  private static void repairRepeats(List<int[]> matched, PairWorth view, String[] ids, PresentationBalance balance) {
    boolean improved = true;
    for (int round = 0; improved && round < 8; round++) {
      improved = false;
      for (int p = 0; p < matched.size(); p++) {
        int[] x = matched.get(p);
        int metX = balance.met(ids[x[0]], ids[x[1]]);
        if (metX == 0) {
          continue;
        }
        for (int q = 0; q < matched.size() && !improved; q++) {
          int[] y = matched.get(q);
          if (q == p) {
            continue;
          }
          double before = view.of(x[0], x[1]) * Math.pow(REPEAT_DISCOUNT, metX)
              + view.of(y[0], y[1]) * Math.pow(REPEAT_DISCOUNT, balance.met(ids[y[0]], ids[y[1]]));
          for (int[][] swap : new int[][][] {{{x[0], y[0]}, {x[1], y[1]}}, {{x[0], y[1]}, {x[1], y[0]}}}) {
            boolean unmet = balance.met(ids[swap[0][0]], ids[swap[0][1]]) == 0
                && balance.met(ids[swap[1][0]], ids[swap[1][1]]) == 0;
            if (unmet && view.of(swap[0][0], swap[0][1]) + view.of(swap[1][0], swap[1][1]) >= before) {
              matched.set(p, swap[0]);
              matched.set(q, swap[1]);
              improved = true;
              break;
            }
          }
        }
      }
    }
  }

  /** Worth of a pair of eligible essays (by their position in the sorted eligible ids); for tests. */
  static double worth(WaveRequest request, String a, String b) {
    String[] ids = request.eligibleEssays().stream().sorted().distinct().toArray(String[]::new);
    PairWorth worth = PairWorth.of(request.estimate().orElseThrow(), ids);
    int i = Arrays.asList(ids).indexOf(a);
    int j = Arrays.asList(ids).indexOf(b);
    return worth.of(i, j);
  }

  /**
   * The worth of pairs, from the one estimate or, when the estimate is kept per stream, from the estimate of the
   * pair's own stream ({@link PairStreams}): a stream's pairs are then chosen from its own judgements only.
   */
  private static final class PairWorth {
    final String[] ids;
    final View[] views;

    private PairWorth(String[] ids, View[] views) {
      this.ids = ids;
      this.views = views;
    }

    static PairWorth of(CurrentEstimate estimate, String[] ids) {
      if (estimate.streams().isEmpty()) {
        return new PairWorth(ids, new View[] {new View(estimate, ids)});
      }
      View[] views = estimate.streams().stream().map(e -> new View(e, ids)).toArray(View[]::new);
      return new PairWorth(ids, views);
    }

    View viewOf(int i, int j) {
      return views.length == 1 ? views[0] : views[PairStreams.of(ids[i], ids[j])];
    }

    double of(int i, int j) {
      return viewOf(i, j).worth(i, j);
    }

    /** All pairs up to FULL_SCAN_LIMIT essays, else near neighbours by score in each view (of that view's stream). */
    List<int[]> candidatePairs() {
      int m = ids.length;
      List<int[]> pairs = new ArrayList<>();
      if (m <= FULL_SCAN_LIMIT) {
        for (int i = 0; i < m; i++) {
          for (int j = i + 1; j < m; j++) {
            pairs.add(new int[] {i, j});
          }
        }
        return pairs;
      }
      Set<Long> seen = new HashSet<>();
      // a stream sees every other neighbour pair of its own, so it looks twice as far
      int reach = views.length * NEIGHBOURS / 2;
      for (View view : views) {
        Integer[] byScore = new Integer[m];
        Arrays.setAll(byScore, i -> i);
        Arrays.sort(byScore, (x, y) -> Double.compare(view.score[x], view.score[y]));
        for (int k = 0; k < m; k++) {
          for (int d = 1; d <= reach && k + d < m; d++) {
            int i = Math.min(byScore[k], byScore[k + d]);
            int j = Math.max(byScore[k], byScore[k + d]);
            if (viewOf(i, j) == view && seen.add((long) i * m + j)) {
              pairs.add(new int[] {i, j});
            }
          }
        }
      }
      return pairs;
    }
  }

  private record Candidate(int i, int j, double worth, double tieBreak) {}

  /** The estimate restricted to the eligible essays; an essay the fit does not know gets the widest variance. */
  private static final class View {
    final String[] ids;
    final double[] score;
    final double[] gradeUncertainty;
    final boolean[] anchor;
    final int[] source;
    final CurrentEstimate estimate;
    final double fallbackVariance;

    View(CurrentEstimate estimate, String[] ids) {
      this.estimate = estimate;
      this.ids = ids;
      Map<String, Integer> index = estimate.indexById();
      int m = ids.length;
      score = new double[m];
      gradeUncertainty = new double[m];
      anchor = new boolean[m];
      source = new int[m];
      fallbackVariance = Arrays.stream(estimate.variance()).max().orElse(1.0);
      for (int i = 0; i < m; i++) {
        Integer s = index.get(ids[i]);
        source[i] = s == null ? -1 : s;
        if (s != null) {
          score[i] = estimate.score()[s];
          gradeUncertainty[i] = estimate.gradeUncertainty()[s];
          anchor[i] = estimate.anchor()[s];
        }
      }
    }

    double variance(int i) {
      return source[i] < 0 ? fallbackVariance : estimate.variance()[source[i]];
    }

    double differenceVariance(int i, int j) {
      if (source[i] < 0 || source[j] < 0) {
        return variance(i) + variance(j);
      }
      return estimate.differenceVariance(source[i], source[j]);
    }

    double worth(int i, int j) {
      double v = differenceVariance(i, j);
      double d = score[i] - score[j];
      double p = sigmoid(d / Math.sqrt(1 + Math.PI * v / 8));
      double worth = p * (1 - p) * v;
      return worth * (1 + GRADE_WEIGHT * Math.max(boundaryPull(i, j), boundaryPull(j, i)));
    }

    /** How much pairing student s with anchor a helps place s relative to its nearest boundary, in [0, 1]. */
    private double boundaryPull(int s, int a) {
      if (anchor[s] || !anchor[a] || gradeUncertainty[s] <= 0) {
        return 0;
      }
      OptionalInt b = estimate.nearestBoundary(score[s]);
      if (b.isEmpty()) {
        return 0;
      }
      double gap = score[a] - estimate.boundaries()[b.getAsInt()];
      double width2 = variance(a) + BOUNDARY_WIDTH * BOUNDARY_WIDTH;
      return gradeUncertainty[s] * Math.exp(-gap * gap / (2 * width2));
    }
  }

  private static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
}
