package org.cjassessment.core.bt;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a Bradley–Terry fit: one estimate per essay (in essay-id order), model-level figures and flags.
 *
 * @param scaleSeparationReliability SSR = (observed variance of the scores − mean squared SE) / observed variance,
 *     clamped to [0, 1], over identified essays; 0 when it cannot be computed
 * @param warnings what a person reading the result must know (no MLE, no position effect, no convergence)
 * @param covariance covariance of the centred scores (indices as {@link #essays()}); empty when standard errors
 *     were not computed
 * @param dispersion the quasi-likelihood dispersion φ every variance was multiplied by: 1 for hard outcomes (and
 *     without standard errors), Pearson χ² / (m − p) with soft outcomes (docs/SCORING.md)
 */
public record FitResult(
    List<EssayEstimate> essays,
    int comparisons,
    Identification identification,
    int components,
    int iterations,
    boolean converged,
    double logLikelihood,
    double priorSd,
    StandardErrorMethod standardErrorMethod,
    Optional<PositionEffect> positionEffect,
    double scaleSeparationReliability,
    List<String> warnings,
    Optional<ScoreCovariance> covariance,
    double dispersion) {

  public FitResult {
    essays = List.copyOf(essays);
    warnings = List.copyOf(warnings);
  }

  /** Essays by rank, best first. */
  public List<EssayEstimate> ranking() {
    return essays.stream().sorted(Comparator.comparingInt(EssayEstimate::rank)).toList();
  }

  /** Index of an essay in {@link #essays()} and in {@link #covariance()}, or −1. */
  public int indexOf(String id) {
    for (int i = 0; i < essays.size(); i++) {
      if (essays.get(i).essayId().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  public Optional<EssayEstimate> essay(String id) {
    return essays.stream().filter(e -> e.essayId().equals(id)).findFirst();
  }
}
