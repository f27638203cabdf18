package org.cjassessment.core.bt;

import java.util.OptionalDouble;

/**
 * The fitted ability of one essay.
 *
 * @param score ability on the logit scale (centred: mean 0 over the essays, or over its component when fitted per
 *     component); finite
 * @param standardError absent when not computed or when the essay is not identified
 * @param rank 1-based, by score (and component order when fitted per component), ties by essay id
 * @param component strongly connected component of the "beats" graph, 0 = the top of the condensation order
 * @param identified false for an essay whose ability the data cannot place (a component of one without a prior)
 * @param infit information-weighted mean square residual (≈ 1 when the essay fits the model); absent without
 *     usable comparisons
 * @param outfit unweighted mean square residual (sensitive to surprising single outcomes)
 */
public record EssayEstimate(
    String essayId,
    double score,
    OptionalDouble standardError,
    int rank,
    int comparisons,
    int wins,
    OptionalDouble infit,
    OptionalDouble outfit,
    int component,
    boolean identified) {

  public int losses() {
    return comparisons - wins;
  }
}
