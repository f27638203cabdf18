package org.cjassessment.core.pairs;

import java.util.List;

/** Proposes the pairs of the next wave. Pure: the same essays, history and seed give the same pairs. */
public interface PairSelector {

  /**
   * @param essays every essay of the net (students and anchors)
   * @param history pairs already requested in earlier waves (answered or not), in request order
   * @param maxPairs at most this many pairs
   * @param seed makes tie-breaking reproducible (e.g. derived from the batch id and wave number)
   */
  List<Pair> select(List<String> essays, List<Pair> history, int maxPairs, long seed);

  /**
   * The full request: the cap on appearances per essay, and the current fit for selectors that use it. Selectors
   * that ignore the fit choose among the essays still under the cap.
   */
  default List<Pair> select(WaveRequest request) {
    return select(request.eligibleEssays(), request.history(), request.maxPairs(), request.seed());
  }
}
