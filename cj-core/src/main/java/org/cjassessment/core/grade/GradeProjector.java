package org.cjassessment.core.grade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Projects grades for the student essays of one Bradley–Terry fit from the anchors (essays of known grade in the
 * same fit).
 *
 * <p>Boundaries: a cumulative-probit (ordered-probit) maximum-a-posteriori fit of the anchors' grades on their
 * abilities. An anchor's grade is the band its ability falls in once its standard error and a grading noise σ are
 * allowed for; the K−1 boundaries are estimated jointly, with a weak Rayleigh prior (mode: the average anchor spacing
 * per grade step) on the width of every grade with two finite ends. Chosen over upstream's isotonic centres +
 * midpoints because it uses the anchors' standard errors, places a boundary by the likelihood of the anchors on both
 * sides rather than halfway between two centres, stays strictly ordered whatever order the anchors come in, and
 * gives grades without anchors a data-scaled width instead of a position on a different scale. Isotonic regression
 * of the grade centres still provides the starting point. {@code docs/GRADES.md} has the full argument.
 *
 * <p>Grading: {@link GradeCalibration#project(AbilityEstimate)}.
 *
 * <p>The 9-step scales' below-lowest grade ({@code F}, {@code 0}) is one more band under the lowest grade with its
 * own boundary, fitted like the others (anchors may carry it; otherwise the lowest grade gets the prior width).
 */
public final class GradeProjector {

  private final ProjectionSettings settings;

  public GradeProjector(ProjectionSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null; use ProjectionSettings.DEFAULTS");
    }
    this.settings = settings;
  }

  /** A projector with {@link ProjectionSettings#DEFAULTS}. */
  public static GradeProjector withDefaults() {
    return new GradeProjector(ProjectionSettings.DEFAULTS);
  }

  public ProjectionSettings settings() {
    return settings;
  }

  /**
   * Projects grades.
   *
   * @param scale the grade scale of the assessment
   * @param estimates every essay of the fit, anchors included; essay ids unique
   * @param anchorGrades anchor essay id → known grade; every id must be among {@code estimates}
   * @return {@link GradeProjection.Projected} for every non-anchor essay, or {@link GradeProjection.NotProjected}
   *     when there are no anchors or they carry fewer than two distinct grades
   * @throws UnknownGradeException if an anchor's grade is not on the scale (names the essay, grade, valid grades)
   * @throws IllegalArgumentException on duplicate essay ids or an anchor without an ability estimate
   */
  public GradeProjection project(
      GradeScale scale, Collection<AbilityEstimate> estimates, Map<String, String> anchorGrades) {
    if (scale == null) {
      throw new IllegalArgumentException("grade scale must not be null; valid scale ids are " + GradeScale.ids());
    }
    if (estimates == null || anchorGrades == null) {
      throw new IllegalArgumentException("estimates and anchorGrades must not be null (use empty collections)");
    }
    Map<String, AbilityEstimate> byId = new HashMap<>();
    for (AbilityEstimate e : estimates) {
      if (e == null) {
        throw new IllegalArgumentException("estimates must not contain null");
      }
      if (byId.putIfAbsent(e.essayId(), e) != null) {
        throw new IllegalArgumentException(
            "essay '" + e.essayId() + "' has two ability estimates; each essay of a fit must appear once");
      }
    }
    PopulationShrinkage shrinkage =
        settings.populationShrinkage() ? PopulationShrinkage.of(byId.values()) : PopulationShrinkage.none();
    List<AnchorGrade> anchors = new ArrayList<>();
    List<AnchorGrade> fitted = new ArrayList<>(); // the anchors' true abilities' posteriors, for the boundaries
    for (Map.Entry<String, String> entry : new TreeMap<>(anchorGrades).entrySet()) {
      String id = entry.getKey();
      if (!scale.isValid(entry.getValue())) {
        throw new UnknownGradeException(scale, entry.getValue(), id);
      }
      AbilityEstimate e = byId.get(id);
      if (e == null) {
        throw new IllegalArgumentException(
            "anchor essay '"
                + id
                + "' (grade "
                + entry.getValue()
                + ") has no ability estimate; anchors must be part of the same Bradley-Terry fit as the students");
      }
      anchors.add(new AnchorGrade(id, entry.getValue(), e.ability(), e.standardError()));
      AbilityEstimate posterior = shrinkage.posterior(e);
      fitted.add(new AnchorGrade(id, entry.getValue(), posterior.ability(), posterior.standardError()));
    }
    if (anchors.isEmpty()) {
      return new GradeProjection.NotProjected(
          scale,
          GradeProjection.Reason.NO_ANCHORS,
          "no anchor essays with a known grade on " + scale.id() + "; add anchors of at least two grades to project",
          anchors);
    }
    TreeSet<String> distinct = new TreeSet<>(scale.order());
    anchors.forEach(a -> distinct.add(a.grade()));
    if (distinct.size() < 2) {
      return new GradeProjection.NotProjected(
          scale,
          GradeProjection.Reason.FEWER_THAN_TWO_ANCHOR_GRADES,
          anchors.size()
              + " anchor(s), all graded "
              + distinct.first()
              + " on "
              + scale.id()
              + "; boundaries need anchors of at least two distinct grades",
          anchors);
    }
    // The anchors' SEs enter once, in the probit's noise √(σ² + SE²); the boundaries' uncertainty (from those SEs
    // and from how few anchors there are) enters through draws from that fit's posterior.
    ThresholdFit.Result fit = fitBoundaries(scale, fitted);
    GradeCalibration calibration = calibration(scale, fitted, fit, fit.thresholds());
    List<GradeCalibration> draws = new ArrayList<>();
    for (double[] tau : BoundaryPosterior.draw(fit.problem(), fit.thresholds(), settings.boundaryDraws(),
        ProjectionSettings.BOUNDARY_DRAW_SEED)) {
      draws.add(calibration(scale, fitted, fit, tau));
    }
    List<StudentGrade> students =
        byId.values().stream()
            .filter(e -> !anchorGrades.containsKey(e.essayId()))
            .sorted(Comparator.comparing(AbilityEstimate::essayId))
            .map(e -> asEstimated(e, draws.isEmpty() ? calibration.project(shrinkage.posterior(e))
                : GradeCalibration.averaged(shrinkage.posterior(e), draws)))
            .toList();
    return new GradeProjection.Projected(scale, calibration, students, anchors);
  }

  /** The grade of a student's posterior, reported with the student's own estimate and SE. */
  private static StudentGrade asEstimated(AbilityEstimate estimate, StudentGrade graded) {
    return new StudentGrade(estimate.essayId(), estimate.ability(), estimate.standardError(), graded.probabilities(),
        graded.mostLikelyGrade(), graded.confidence(), graded.confidenceLabel());
  }

  private ThresholdFit.Result fitBoundaries(GradeScale scale, List<AnchorGrade> anchors) {
    int m = scale.allGrades().size();
    int n = anchors.size();
    int[] category = new int[n];
    double[] ability = new double[n];
    double[] noise = new double[n];
    double sigma = settings.gradingNoise();
    for (int i = 0; i < n; i++) {
      AnchorGrade a = anchors.get(i);
      category[i] = scale.rankOf(a.grade());
      ability[i] = a.ability();
      noise[i] = Math.sqrt(sigma * sigma + a.standardError() * a.standardError());
    }
    return ThresholdFit.fit(m, category, ability, noise, relativeWidths(scale), settings.minReferenceWidth());
  }

  private GradeCalibration calibration(
      GradeScale scale, List<AnchorGrade> anchors, ThresholdFit.Result fit, double[] thresholds) {
    List<String> grades = scale.allGrades();
    int m = grades.size();
    Integer[] counts = new Integer[m];
    Arrays.fill(counts, 0);
    for (AnchorGrade a : anchors) {
      counts[scale.rankOf(a.grade())]++;
    }
    List<GradeBoundary> boundaries = new ArrayList<>(m - 1);
    for (int c = 0; c < m - 1; c++) {
      boundaries.add(new GradeBoundary(grades.get(c), grades.get(c + 1), thresholds[c]));
    }
    return new GradeCalibration(scale, boundaries, List.of(counts), settings.gradingNoise(), fit.referenceWidth(),
        fit.iterations(), fit.converged());
  }

  /** Relative reference width per category of {@link GradeScale#allGrades()}; mean 1 over the interior ones. */
  private double[] relativeWidths(GradeScale scale) {
    int m = scale.allGrades().size();
    double[] r = new double[m];
    Arrays.fill(r, 1);
    if (settings.populationPriors() == ProjectionSettings.PriorUse.IGNORE) {
      return r;
    }
    int offset = m - scale.size(); // 1 when there is a below-lowest category
    List<Double> priors = List.copyOf(scale.populationPriors().values());
    double cumulative = 0;
    double previousQuantile = Double.NaN;
    boolean[] known = new boolean[m];
    for (int k = 0; k < scale.size(); k++) {
      double before = cumulative;
      cumulative += priors.get(k);
      boolean finite = k > 0 && k < scale.size() - 1 && before > 0 && cumulative < 1;
      double q = cumulative < 1 ? Normal.quantile(Math.min(cumulative, 1 - 1e-12)) : Double.NaN;
      if (finite) {
        r[k + offset] = q - previousQuantile;
        known[k + offset] = true;
      }
      previousQuantile = q;
    }
    double sum = 0;
    int count = 0;
    for (int c = 0; c < m; c++) {
      if (known[c]) {
        sum += r[c];
        count++;
      }
    }
    double meanKnown = sum / count;
    for (int c = 0; c < m; c++) {
      r[c] = known[c] ? r[c] / meanKnown : 1;
    }
    return r;
  }
}
