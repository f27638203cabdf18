package org.cjassessment.core.bt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A 95 % interval for each essay's rank, from draws of the scores from the fit's covariance of the centred scores
 * (N(θ̂, P C P)): each draw is ranked like the fit (score descending, after the component order only for a fit made
 * per component, then essay id), and the 2.5th
 * and 97.5th percentiles of an essay's ranks bound its interval. Deterministic for a seed. On the approximate path
 * (blocks above the exact limit) the draws ignore the covariances between essays.
 */
public final class RankIntervals {

  public static final int DEFAULT_DRAWS = 1000;
  public static final long DEFAULT_SEED = 20_241_129L;

  /** @param lower best rank in the interval (1 = top); {@code upper} ≥ {@code lower} */
  public record RankInterval(String essayId, int rank, int lower, int upper) {}

  private RankIntervals() {}

  public static List<RankInterval> of(FitResult fit) {
    return of(fit, DEFAULT_DRAWS, DEFAULT_SEED);
  }

  /** One interval per essay, in the order of {@link FitResult#essays()}; [rank, rank] without a covariance. */
  public static List<RankInterval> of(FitResult fit, int draws, long seed) {
    return among(fit, id -> true, draws, seed);
  }

  /**
   * Intervals for the essays that {@code include} accepts, ranked among themselves only (e.g. students without the
   * anchors, as the service ranks them), in the order of {@link FitResult#essays()}; the draws are of the whole fit.
   */
  public static List<RankInterval> among(
      FitResult fit, java.util.function.Predicate<String> include, int draws, long seed) {
    List<EssayEstimate> all = fit.essays();
    List<EssayEstimate> essays = all.stream().filter(e -> include.test(e.essayId())).toList();
    int[] fitIndex = new int[essays.size()];
    for (int i = 0, k = 0; i < all.size(); i++) {
      if (include.test(all.get(i).essayId())) {
        fitIndex[k++] = i;
      }
    }
    int[] subsetRank = subsetRanks(essays);
    int n = essays.size();
    List<RankInterval> out = new ArrayList<>(n);
    if (fit.covariance().isEmpty() || draws < 1) {
      for (int i = 0; i < n; i++) {
        out.add(new RankInterval(essays.get(i).essayId(), subsetRank[i], subsetRank[i], subsetRank[i]));
      }
      return out;
    }
    ScoreCovariance covariance = fit.covariance().get();
    int[] component = new int[n];
    String[] ids = new String[n];
    double[] score = new double[n];
    // Components order the ranking only when the fit was made per component (plain MLE on a graph that is not
    // strongly connected). With a prior the scores share one scale and the fit ranks by score alone; ranking the
    // draws by component anyway pinned every essay that won or lost all its comparisons to its end of the order and
    // made the intervals far too narrow (coverage of the true rank 0.62 at 20 essays × 8 comparisons).
    boolean byComponent = fit.identification() == Identification.MLE_PER_COMPONENT;
    for (int i = 0; i < n; i++) {
      component[i] = byComponent ? essays.get(i).component() : 0;
      ids[i] = essays.get(i).essayId();
      score[i] = essays.get(i).score();
    }
    int[][] ranks = new int[n][draws];
    Random random = new Random(seed);
    Integer[] order = new Integer[n];
    double[] key = new double[n];
    // Component first, then score descending; the essays are in id order and the sort is stable, so ties fall to
    // the essay id as in the fit. Components are far apart on the key (scores are bounded by a few hundred logits).
    Comparator<Integer> byRank = Comparator.comparingDouble(i -> key[i]);
    for (int d = 0; d < draws; d++) {
      double[] deviation = covariance.sampleDeviation(random);
      for (int i = 0; i < n; i++) {
        key[i] = component[i] * 1e6 - (score[i] + deviation[fitIndex[i]]);
        order[i] = i;
      }
      Arrays.sort(order, byRank);
      for (int k = 0; k < n; k++) {
        ranks[order[k]][d] = k + 1;
      }
    }
    for (int i = 0; i < n; i++) {
      int[] r = ranks[i];
      Arrays.sort(r);
      // Nearest-rank percentiles: the 2.5 % lowest and highest draws fall outside.
      int lo = r[(int) Math.floor(0.025 * (draws - 1))];
      int hi = r[(int) Math.ceil(0.975 * (draws - 1))];
      int rank = subsetRank[i];
      out.add(new RankInterval(ids[i], rank, Math.min(lo, rank), Math.max(hi, rank)));
    }
    return out;
  }

  /** The fit's ranks renumbered 1..k among the given essays (all essays: the fit's own ranks). */
  private static int[] subsetRanks(List<EssayEstimate> essays) {
    Integer[] order = new Integer[essays.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingInt(i -> essays.get(i).rank()));
    int[] rank = new int[essays.size()];
    for (int k = 0; k < order.length; k++) {
      rank[order[k]] = k + 1;
    }
    return rank;
  }
}
