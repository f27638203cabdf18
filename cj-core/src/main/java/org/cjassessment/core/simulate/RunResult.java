package org.cjassessment.core.simulate;

import java.util.OptionalDouble;
import org.cjassessment.core.batch.StopReason;
import org.cjassessment.core.pairs.SelectorKind;

/**
 * One simulated batch, measured against its truth. "Appearances per essay" is always comparisons × 2 / essays in
 * the net (students and anchors).
 *
 * @param appearancesToTarget appearances per essay at the first wave whose Spearman correlation (students' scores
 *     against their true abilities) reached the target; empty when the budget ran out first. Measured past the stop
 *     when the policy stopped earlier (the waves after the stop only serve this figure).
 * @param appearancesAtStop appearances per essay when the policy stopped
 * @param spearmanAtStop Spearman of scores and truth at the stop
 * @param ssr scale separation reliability at the stop
 * @param splitHalf split-half reliability at the stop (students), NaN when it could not be computed
 * @param leading the reliability we lead with: split-half under adaptive pairing, SSR otherwise
 * @param trueReliability squared Pearson correlation of the students' scores and their true abilities at the stop
 * @param gradeExact share of students whose most likely grade is their true grade (NaN without grades)
 * @param gradeWithinOne share within one grade step of the true grade (NaN without grades)
 */
public record RunResult(SelectorKind selector, long seed, OptionalDouble appearancesToTarget,
    double appearancesAtStop, double spearmanAtStop, double ssr, double splitHalf, double leading,
    double trueReliability, double gradeExact, double gradeWithinOne, StopReason stopReason) {}
