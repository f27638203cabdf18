package org.cjassessment.core.progress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.cjassessment.core.bt.BradleyTerry;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.EssayEstimate;
import org.cjassessment.core.bt.FitOptions;
import org.cjassessment.core.bt.FitResult;

/**
 * Split-half reliability: the comparisons are split at random into two halves, each half fitted on its own, the
 * two halves' scores correlated over the chosen essays; the mean correlation over the splits is Spearman–Brown
 * corrected to full length, 2r / (1 + r).
 *
 * <p>Interim: the scoring issue lands the project's split-half in the fit itself; this class is the one place the
 * stopping rule and {@code cj simulate} take it from, so the swap is one method.
 */
public final class SplitHalf {

  private SplitHalf() {}

  public static OptionalDouble of(List<Comparison> comparisons, List<String> essays, Set<String> over, double priorSd,
      int splits, long seed) {
    if (comparisons.size() < 4 || over.size() < 3) {
      return OptionalDouble.empty();
    }
    FitOptions options = FitOptions.defaults().withPriorSd(priorSd).withStandardErrors(false);
    Random random = new Random(seed);
    List<Comparison> shuffled = new ArrayList<>(comparisons);
    double sum = 0;
    int used = 0;
    for (int s = 0; s < splits; s++) {
      Collections.shuffle(shuffled, random);
      int half = shuffled.size() / 2;
      Map<String, Double> a = scores(BradleyTerry.fit(shuffled.subList(0, half), essays, options), over);
      Map<String, Double> b = scores(BradleyTerry.fit(shuffled.subList(half, shuffled.size()), essays, options), over);
      OptionalDouble r = Correlation.pearson(a, b);
      if (r.isPresent()) {
        sum += r.getAsDouble();
        used++;
      }
    }
    if (used == 0) {
      return OptionalDouble.empty();
    }
    double r = sum / used;
    return OptionalDouble.of(r <= -1 ? -1 : 2 * r / (1 + r));
  }

  private static Map<String, Double> scores(FitResult fit, Set<String> over) {
    Map<String, Double> scores = new TreeMap<>();
    for (EssayEstimate e : fit.essays()) {
      if (over.contains(e.essayId())) {
        scores.put(e.essayId(), e.score());
      }
    }
    return scores;
  }
}
