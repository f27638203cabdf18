package org.cjassessment.core.pairs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The baseline of the CJ literature: every wave a uniformly random matching of the essays (repeats allowed, as
 * they happen by chance). Presentation order is still balanced per essay, so the baseline differs from the others
 * only in which essays meet.
 */
public final class RandomPairSelector implements PairSelector {

  @Override
  public List<Pair> select(List<String> essays, List<Pair> history, int maxPairs, long seed) {
    List<String> ids = new ArrayList<>(essays.stream().sorted().distinct().toList());
    if (ids.size() < 2 || maxPairs <= 0) {
      return List.of();
    }
    Random random = new Random(seed);
    Collections.shuffle(ids, random);
    PresentationBalance balance = new PresentationBalance(history);
    List<Pair> wave = new ArrayList<>();
    for (int k = 0; k + 1 < ids.size() && wave.size() < maxPairs; k += 2) {
      wave.add(balance.orient(ids.get(k), ids.get(k + 1), random));
    }
    return wave;
  }
}
