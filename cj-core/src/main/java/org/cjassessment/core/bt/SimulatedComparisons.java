package org.cjassessment.core.bt;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Comparisons drawn from a known Bradley–Terry model, for tests, benchmarks and the simulated judge: n essays with
 * abilities N(0, sd²), random pairs (each essay in about {@code perEssay} comparisons), winners drawn from
 * σ(θ_first − θ_second + positionBias) with a random presentation order. Deterministic for a seed.
 */
public record SimulatedComparisons(double[] trueAbilities, List<Comparison> comparisons) {

  public static SimulatedComparisons generate(int essays, int perEssay, double abilitySd, double positionBias,
      long seed) {
    Random random = new Random(seed);
    double[] theta = new double[essays];
    for (int i = 0; i < essays; i++) {
      theta[i] = random.nextGaussian() * abilitySd;
    }
    int total = essays * perEssay / 2;
    List<Comparison> out = new ArrayList<>(total);
    for (int k = 0; k < total; k++) {
      // Cycle through the essays so every essay gets its share; the opponent is random.
      int i = k % essays;
      int j = random.nextInt(essays - 1);
      if (j >= i) {
        j++;
      }
      boolean iFirst = random.nextBoolean();
      int first = iFirst ? i : j;
      int second = iFirst ? j : i;
      boolean firstWins = random.nextDouble() < NewtonFit.sigmoid(theta[first] - theta[second] + positionBias);
      int winner = firstWins ? first : second;
      int loser = firstWins ? second : first;
      out.add(new Comparison(id(winner, essays), id(loser, essays), id(first, essays), null));
    }
    return new SimulatedComparisons(theta, out);
  }

  /** Zero-padded so that the sorted id order is the index order. */
  public static String id(int index, int essays) {
    int width = Integer.toString(Math.max(essays - 1, 0)).length();
    return "e" + String.format("%0" + width + "d", index);
  }

  /** The same comparisons with the presentation order forgotten. */
  public List<Comparison> withoutOrder() {
    return comparisons.stream().map(c -> Comparison.of(c.winner(), c.loser())).toList();
  }
}
