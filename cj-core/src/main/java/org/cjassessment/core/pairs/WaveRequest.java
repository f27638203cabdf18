package org.cjassessment.core.pairs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a selector may use to choose one wave.
 *
 * @param essays every essay of the net (students and anchors)
 * @param history pairs already requested (answered or not), in request order
 * @param maxPairs at most this many pairs
 * @param seed makes tie-breaking reproducible
 * @param maxPerEssay no essay appears in more than this many requested comparisons, history included (0 = no cap)
 * @param estimate the current fit, absent before the first judgement
 */
public record WaveRequest(List<String> essays, List<Pair> history, int maxPairs, long seed, int maxPerEssay,
    Optional<CurrentEstimate> estimate) {

  public WaveRequest {
    essays = List.copyOf(essays);
    history = List.copyOf(history);
    if (maxPerEssay < 0) {
      throw new IllegalArgumentException("max appearances per essay must be >= 0 (0 = no cap), was " + maxPerEssay);
    }
  }

  public static WaveRequest of(List<String> essays, List<Pair> history, int maxPairs, long seed) {
    return new WaveRequest(essays, history, maxPairs, seed, 0, Optional.empty());
  }

  public WaveRequest withCap(int cap) {
    return new WaveRequest(essays, history, maxPairs, seed, cap, estimate);
  }

  public WaveRequest withEstimate(CurrentEstimate value) {
    return new WaveRequest(essays, history, maxPairs, seed, maxPerEssay, Optional.ofNullable(value));
  }

  /** Requested comparisons per essay so far (pending ones included). */
  public Map<String, Integer> appearances() {
    Map<String, Integer> count = new HashMap<>();
    for (Pair p : history) {
      count.merge(p.first(), 1, Integer::sum);
      count.merge(p.second(), 1, Integer::sum);
    }
    return count;
  }

  /** The essays that may still appear once more. */
  public List<String> eligibleEssays() {
    if (maxPerEssay == 0) {
      return essays;
    }
    Map<String, Integer> count = appearances();
    return essays.stream().filter(e -> count.getOrDefault(e, 0) < maxPerEssay).toList();
  }
}
