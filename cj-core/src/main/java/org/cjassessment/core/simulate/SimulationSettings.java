package org.cjassessment.core.simulate;

import org.cjassessment.core.batch.ContinuationPolicy;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.core.pairs.SelectorKind;

/**
 * One simulated batch.
 *
 * @param students student essays, true abilities N(0, 1)
 * @param anchors anchor essays, true abilities at evenly spaced quantiles of N(0, 1), graded by the true boundaries
 * @param agreement share of random pairs the simulated judge orders like the truth (0.5 = coin tosses)
 * @param positionBias logit added for the essay shown first
 * @param selector the pair selector under test
 * @param maxPerEssay cap on appearances per essay (0 = none)
 * @param budgetPerEssay comparison budget as appearances per essay: budget = ⌈budgetPerEssay × essays / 2⌉
 * @param policy the real continuation policy (its precision target decides the stop)
 * @param scale grade scale; the true boundaries are the normal quantiles of its population priors
 * @param priorSd prior SD of the fit
 * @param spearmanTarget the accuracy whose cost is measured (Spearman of scores and true abilities, students)
 * @param splits random splits per split-half reliability
 * @param seed truth, judge and selector draws
 */
public record SimulationSettings(int students, int anchors, double agreement, double positionBias,
    SelectorKind selector, int maxPerEssay, double budgetPerEssay, ContinuationPolicy policy, GradeScale scale,
    double priorSd, double spearmanTarget, int splits, long seed) {

  public SimulationSettings {
    if (students < 2) {
      throw new IllegalArgumentException("need at least 2 student essays, got " + students);
    }
    if (anchors < 0) {
      throw new IllegalArgumentException("anchors must be >= 0, got " + anchors);
    }
    if (!(budgetPerEssay > 0)) {
      throw new IllegalArgumentException("budget per essay must be > 0, got " + budgetPerEssay);
    }
  }

  public int essays() {
    return students + anchors;
  }

  public int budget() {
    return (int) Math.ceil(budgetPerEssay * essays() / 2.0);
  }

  public SimulationSettings withSelector(SelectorKind kind) {
    return new SimulationSettings(students, anchors, agreement, positionBias, kind, maxPerEssay, budgetPerEssay,
        policy, scale, priorSd, spearmanTarget, splits, seed);
  }

  public SimulationSettings withSeed(long value) {
    return new SimulationSettings(students, anchors, agreement, positionBias, selector, maxPerEssay, budgetPerEssay,
        policy, scale, priorSd, spearmanTarget, splits, value);
  }
}
