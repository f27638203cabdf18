package org.cjassessment.core.bt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Fits the Bradley–Terry model P(i beats j) = σ(θᵢ − θⱼ) (plus a position effect when presentation order is known)
 * by penalised maximum likelihood. Pure and thread-safe: every call works on its own data.
 *
 * <p>Why Newton with conjugate gradients: quadratic convergence to 1e-10 in a handful of iterations (MM/Zermelo
 * needs hundreds to thousands on sparse CJ graphs), each iteration linear in the number of distinct pairs, and the
 * same Hessian gives the standard errors. See docs/SCORING.md.
 */
public final class BradleyTerry {

  /** Beyond this many logits (first-shown wins 99.97 % of ties) a position effect is taken as not estimable. */
  static final double MAX_POSITION_EFFECT = 8;

  private BradleyTerry() {}

  public static FitResult fit(List<Comparison> comparisons, FitOptions options) {
    return fit(comparisons, List.of(), options);
  }

  /**
   * @param essays essays to include even without comparisons (they get a flagged, uninformative estimate)
   */
  public static FitResult fit(List<Comparison> comparisons, List<String> essays, FitOptions options) {
    ComparisonData all = ComparisonData.of(comparisons, essays);
    int n = all.essays();
    if (n == 0) {
      return new FitResult(List.of(), 0, options.hasPrior() ? Identification.PRIOR
          : Identification.MLE_STRONGLY_CONNECTED, 0, 0, true, 0, options.priorSd(), StandardErrorMethod.NONE,
          Optional.empty(), 0, List.of(), Optional.empty(), 1);
    }
    StrongComponents strong = StrongComponents.of(all);
    Identification identification = options.hasPrior() ? Identification.PRIOR
        : strong.connected() ? Identification.MLE_STRONGLY_CONNECTED : Identification.MLE_PER_COMPONENT;
    boolean perComponent = identification == Identification.MLE_PER_COMPONENT;
    // Between-component comparisons would push the plain MLE to infinity: the per-component fit leaves them out.
    ComparisonData data = perComponent ? all.within(strong.componentOf) : all;
    int[] group = perComponent ? strong.componentOf : new int[n];
    int[] sizes = perComponent ? strong.sizes : new int[] {n};
    double lambda = options.priorPrecision();

    List<String> warnings = new ArrayList<>();
    NewtonFit fit = new NewtonFit(data, lambda, group, sizes.length);
    fit.run(options.tolerance(), options.maxIterations());
    if (fit.withPosition() && (!fit.converged || Math.abs(fit.x[n]) > MAX_POSITION_EFFECT)) {
      // The position effect has its own existence condition (e.g. the first-shown essay won every time): its MLE
      // runs off to infinity. Refit without it rather than report a meaningless number.
      warnings.add("position effect not estimable (the order data separate: e.g. the first-shown essay always"
          + " won); abilities fitted without it");
      data = data.withoutOrder();
      fit = new NewtonFit(data, lambda, group, sizes.length);
      fit.run(options.tolerance(), options.maxIterations());
    }
    if (!fit.converged) {
      warnings.add("Newton did not converge in " + options.maxIterations() + " iterations");
    }
    if (perComponent) {
      warnings.add("plain MLE does not exist (comparison graph has " + strong.count() + " strongly connected"
          + " components): abilities fitted per component; use a prior (--prior-sd) for one common scale");
    }

    StandardErrors errors = options.standardErrors()
        ? StandardErrors.of(fit, data, lambda, group, sizes, options.exactStandardErrorLimit())
        : null;

    boolean[] identified = new boolean[n];
    for (int i = 0; i < n; i++) {
      identified[i] = !perComponent || sizes[group[i]] > 1;
    }
    double[][] misfit = FitStatistics.infitOutfit(fit, data);
    int[] rank = ranks(all.ids, fit.x, perComponent ? strong.componentOf : new int[n]);

    List<EssayEstimate> estimates = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      OptionalDouble se = errors != null && identified[i]
          ? OptionalDouble.of(Math.sqrt(errors.variance[i])) : OptionalDouble.empty();
      estimates.add(new EssayEstimate(all.ids[i], identified[i] ? fit.x[i] : 0.0, se, rank[i],
          all.comparisons[i], all.wins[i], present(misfit[0][i]), present(misfit[1][i]),
          strong.componentOf[i], identified[i]));
    }

    Optional<PositionEffect> position = Optional.empty();
    if (fit.withPosition()) {
      double se = errors != null && Double.isFinite(errors.positionVariance) ? Math.sqrt(errors.positionVariance)
          : Double.NaN;
      int known = 0;
      double firstWins = 0;
      for (int r = 0; r < data.records(); r++) {
        if (data.order[r] != 0) {
          known += (int) data.n[r];
          firstWins += data.order[r] > 0 ? data.winsA[r] : data.n[r] - data.winsA[r];
        }
      }
      position = Optional.of(new PositionEffect(fit.x[n], Double.isNaN(se) ? 0 : se, known, firstWins));
    }
    StandardErrorMethod method = errors == null ? StandardErrorMethod.NONE
        : errors.exact ? StandardErrorMethod.EXACT : StandardErrorMethod.APPROXIMATE;
    return new FitResult(estimates, all.totalComparisons, identification, strong.count(), fit.iterations,
        fit.converged, fit.logLikelihood(), options.priorSd(), method, position,
        FitStatistics.scaleSeparationReliability(estimates,
            errors == null ? 0 : ShrinkageVariance.meanCorrection(errors.covariance, lambda, errors.dispersion)),
        warnings,
        Optional.ofNullable(errors).map(e -> e.covariance), errors == null ? 1 : errors.dispersion);
  }

  private static OptionalDouble present(double v) {
    return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
  }

  /** 1-based ranks: by component (top first), then score descending, then essay id. */
  private static int[] ranks(String[] ids, double[] score, int[] component) {
    Integer[] order = new Integer[ids.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.<Integer>comparingInt(i -> component[i])
        .thenComparing(i -> -score[i])
        .thenComparing(i -> ids[i]));
    int[] rank = new int[ids.length];
    for (int k = 0; k < order.length; k++) {
      rank[order[k]] = k + 1;
    }
    return rank;
  }
}
