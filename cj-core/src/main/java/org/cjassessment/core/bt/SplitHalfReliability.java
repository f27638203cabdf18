package org.cjassessment.core.bt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Split-half reliability: the comparisons are split at random into two halves (by judge when there are at least
 * {@link #MIN_JUDGES_FOR_JUDGE_SPLIT} judges, so one judge's habits cannot sit in both halves), each half is fitted
 * on its own, and the Pearson correlation of the two halves' scores over the essays compared in both is taken. The
 * mean correlation over many splits, Spearman–Brown corrected to the full length (2r / (1 + r)), estimates the
 * reliability of the full data's scores.
 *
 * <p>Why beside SSR: SSR trusts the model's own standard errors, which adaptive pairing makes too small (pairs chosen
 * to be close look informative); the split-half figure only asks whether independent halves agree, so adaptivity
 * cannot inflate it. Checked against the true reliability in a simulation ({@code SplitHalfReliabilityTest}).
 *
 * @param reliability Spearman–Brown corrected mean half correlation, clamped to [0, 1]; 0 when no split was usable
 * @param meanHalfCorrelation mean over the usable splits of the uncorrected correlation (may be negative)
 * @param splits usable splits (both halves with at least three essays in common and some spread)
 * @param byJudge whether the split was by judge rather than by comparison
 */
public record SplitHalfReliability(double reliability, double meanHalfCorrelation, int splits, boolean byJudge) {

  public static final int DEFAULT_SPLITS = 50;
  public static final long DEFAULT_SEED = 20_241_129L;
  /** Fewer judges than this make a split by judge too lumpy; the comparisons are split instead. */
  public static final int MIN_JUDGES_FOR_JUDGE_SPLIT = 4;

  public static SplitHalfReliability estimate(List<Comparison> comparisons, FitOptions options) {
    return estimate(comparisons, options, DEFAULT_SPLITS, DEFAULT_SEED);
  }

  /**
   * @param options the fit's options; the halves are fitted without standard errors, and with the default prior
   *     when none is set (a half is often not strongly connected, and per-component scores are not on one scale)
   */
  public static SplitHalfReliability estimate(
      List<Comparison> comparisons, FitOptions options, int splits, long seed) {
    if (splits < 1) {
      throw new IllegalArgumentException("split-half reliability needs at least 1 split, got " + splits);
    }
    FitOptions halfOptions = halfOptions(options);
    TreeSet<String> judgeSet = new TreeSet<>();
    boolean everyJudgeKnown = true;
    for (Comparison c : comparisons) {
      if (c.judge() == null) {
        everyJudgeKnown = false;
      } else {
        judgeSet.add(c.judge());
      }
    }
    boolean byJudge = everyJudgeKnown && judgeSet.size() >= MIN_JUDGES_FOR_JUDGE_SPLIT;
    List<String> judges = new ArrayList<>(judgeSet);
    Random random = new Random(seed);
    double sum = 0;
    int usable = 0;
    List<Comparison> first = new ArrayList<>();
    List<Comparison> second = new ArrayList<>();
    for (int s = 0; s < splits; s++) {
      first.clear();
      second.clear();
      if (byJudge) {
        Collections.shuffle(judges, random);
        TreeSet<String> half = new TreeSet<>(judges.subList(0, judges.size() / 2));
        for (Comparison c : comparisons) {
          (half.contains(c.judge()) ? first : second).add(c);
        }
      } else {
        int[] order = permutation(comparisons.size(), random);
        for (int k = 0; k < order.length; k++) {
          (k < order.length / 2 ? first : second).add(comparisons.get(order[k]));
        }
      }
      double r = halfCorrelation(first, second, halfOptions);
      if (!Double.isNaN(r)) {
        sum += r;
        usable++;
      }
    }
    if (usable == 0) {
      return new SplitHalfReliability(0, Double.NaN, 0, byJudge);
    }
    double mean = sum / usable;
    return new SplitHalfReliability(spearmanBrown(mean), mean, usable, byJudge);
  }

  /**
   * The split-half reliability of a batch paired adaptively in two independent streams ({@code PairStreams}): the
   * one split whose halves are independent measurements. Random splits of adaptive data are not (both halves inherit
   * the design, which the outcomes made), so they read high even on coin tosses.
   *
   * @param streamOf the stream (0 or 1) of each comparison
   */
  public static SplitHalfReliability ofStreams(List<Comparison> comparisons, FitOptions options,
      java.util.function.ToIntFunction<Comparison> streamOf) {
    FitOptions halfOptions = halfOptions(options);
    List<Comparison> first = new ArrayList<>();
    List<Comparison> second = new ArrayList<>();
    for (Comparison c : comparisons) {
      (streamOf.applyAsInt(c) == 0 ? first : second).add(c);
    }
    double r = halfCorrelation(first, second, halfOptions);
    if (Double.isNaN(r)) {
      return new SplitHalfReliability(0, Double.NaN, 0, false);
    }
    return new SplitHalfReliability(spearmanBrown(r), r, 1, false);
  }

  /**
   * The halves are fitted without standard errors, and with the default prior when none is set (a half is often not
   * strongly connected, and per-component scores are not on one scale).
   */
  private static FitOptions halfOptions(FitOptions options) {
    return (options.hasPrior() ? options : options.withPriorSd(FitOptions.DEFAULT_PRIOR_SD)).withStandardErrors(false);
  }

  /** A half correlation corrected to full length, 2r / (1 + r), clamped to [0, 1]. */
  private static double spearmanBrown(double r) {
    return r > 0 ? Math.min(1, 2 * r / (1 + r)) : 0;
  }

  private static int[] permutation(int n, Random random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Pearson correlation over the essays compared in both halves; NaN when fewer than three or no spread. */
  private static double halfCorrelation(List<Comparison> a, List<Comparison> b, FitOptions options) {
    if (a.isEmpty() || b.isEmpty()) {
      return Double.NaN;
    }
    FitResult fa = BradleyTerry.fit(a, options);
    FitResult fb = BradleyTerry.fit(b, options);
    // Both results list essays in id order: merge the two sorted lists.
    List<EssayEstimate> ea = fa.essays();
    List<EssayEstimate> eb = fb.essays();
    double[] x = new double[Math.min(ea.size(), eb.size())];
    double[] y = new double[x.length];
    int k = 0;
    int i = 0;
    int j = 0;
    while (i < ea.size() && j < eb.size()) {
      int cmp = ea.get(i).essayId().compareTo(eb.get(j).essayId());
      if (cmp == 0) {
        x[k] = ea.get(i).score();
        y[k] = eb.get(j).score();
        k++;
        i++;
        j++;
      } else if (cmp < 0) {
        i++;
      } else {
        j++;
      }
    }
    return pearson(x, y, k);
  }

  static double pearson(double[] x, double[] y, int k) {
    if (k < 3) {
      return Double.NaN;
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < k; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= k;
    my /= k;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < k; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
  }
}
