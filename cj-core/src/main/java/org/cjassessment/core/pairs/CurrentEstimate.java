package org.cjassessment.core.pairs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The current fit as the adaptive selector sees it: plain numbers, so that pair selection does not depend on how
 * the fit was computed.
 *
 * @param ids essays of the fit
 * @param score ability per essay (logits), same order as {@code ids}
 * @param variance posterior variance per essay
 * @param covariance the covariance of the (centred) scores, or {@code null} when only variances are known
 *     (then the variance of a difference is the sum of the two variances)
 * @param gradeUncertainty per essay, 1 − P(most likely grade) for students, 0 for anchors and without grades
 * @param anchor whether each essay is an anchor
 * @param boundaries grade boundaries on the same scale, increasing; empty without anchors
 * @param streams one estimate per {@link PairStreams} stream, each from that stream's judgements only, for the
 *     adaptive selector to choose each stream's pairs from its own data; empty when the selector need not keep the
 *     streams apart
 */
public record CurrentEstimate(List<String> ids, double[] score, double[] variance, Covariance covariance,
    double[] gradeUncertainty, boolean[] anchor, double[] boundaries, List<CurrentEstimate> streams) {

  /** Cov(θᵢ, θⱼ) by index, computed on demand. */
  @FunctionalInterface
  public interface Covariance {
    double of(int i, int j);
  }

  public CurrentEstimate {
    ids = List.copyOf(ids);
    int n = ids.size();
    if (score.length != n || variance.length != n || gradeUncertainty.length != n || anchor.length != n) {
      throw new IllegalArgumentException("every per-essay array must have one entry per essay (" + n + ")");
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(score[i]) || !(variance[i] >= 0) || Double.isInfinite(variance[i])) {
        throw new IllegalArgumentException("essay " + ids.get(i) + " needs a finite score and variance >= 0");
      }
    }
    boundaries = boundaries.clone();
    Arrays.sort(boundaries);
    streams = List.copyOf(streams);
    if (!streams.isEmpty() && streams.size() != PairStreams.COUNT) {
      throw new IllegalArgumentException("an estimate per stream needs " + PairStreams.COUNT + " streams");
    }
  }

  public CurrentEstimate(List<String> ids, double[] score, double[] variance, Covariance covariance,
      double[] gradeUncertainty, boolean[] anchor, double[] boundaries) {
    this(ids, score, variance, covariance, gradeUncertainty, anchor, boundaries, List.of());
  }

  /** This estimate with one estimate per stream. */
  public CurrentEstimate withStreams(List<CurrentEstimate> perStream) {
    return new CurrentEstimate(ids, score, variance, covariance, gradeUncertainty, anchor, boundaries, perStream);
  }

  /** Scores and variances only, no grades. */
  public static CurrentEstimate of(List<String> ids, double[] score, double[] variance) {
    return new CurrentEstimate(ids, score, variance, null, new double[ids.size()], new boolean[ids.size()],
        new double[0]);
  }

  public Map<String, Integer> indexById() {
    Map<String, Integer> index = new HashMap<>(ids.size() * 2);
    for (int i = 0; i < ids.size(); i++) {
      index.put(ids.get(i), i);
    }
    return index;
  }

  /** Var(θᵢ − θⱼ). */
  public double differenceVariance(int i, int j) {
    double v = variance[i] + variance[j];
    if (covariance != null) {
      v -= 2 * covariance.of(i, j);
    }
    return Math.max(v, 0);
  }

  /** The boundary nearest to a score, if there are boundaries. */
  public OptionalInt nearestBoundary(double value) {
    int best = -1;
    for (int b = 0; b < boundaries.length; b++) {
      if (best < 0 || Math.abs(boundaries[b] - value) < Math.abs(boundaries[best] - value)) {
        best = b;
      }
    }
    return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
  }
}
