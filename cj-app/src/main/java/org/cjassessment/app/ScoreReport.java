package org.cjassessment.app;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.cjassessment.service.CsvCells;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.cjassessment.core.bt.EssayEstimate;
import org.cjassessment.core.bt.FitResult;
import org.cjassessment.core.bt.RankIntervals;
import org.cjassessment.core.bt.SplitHalfReliability;
import org.cjassessment.core.bt.StandardErrorMethod;

/** The output of {@code cj score}: one row per essay in rank order, as CSV or JSON, plus a summary line. */
final class ScoreReport {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private final FitResult fit;
  private final Grading grading;
  private final Optional<SplitHalfReliability> splitHalf;
  /** In the order of fit.essays(). */
  private final List<RankIntervals.RankInterval> rankIntervals;

  private ScoreReport(FitResult fit, Grading grading, Optional<SplitHalfReliability> splitHalf,
      List<RankIntervals.RankInterval> rankIntervals) {
    this.fit = fit;
    this.grading = grading;
    this.splitHalf = splitHalf;
    this.rankIntervals = rankIntervals;
  }

  /**
   * Split-half reliability is absent when it was not computed (no standard errors asked for); so are the rank
   * intervals, which are drawn from the fit's covariance: without it they would claim every rank is certain.
   */
  static ScoreReport of(FitResult fit, Grading grading, Optional<SplitHalfReliability> splitHalf) {
    boolean covariance = fit.standardErrorMethod() != StandardErrorMethod.NONE;
    return new ScoreReport(fit, grading.project(fit), splitHalf, covariance ? RankIntervals.of(fit) : null);
  }

  /** Null when there are no rank intervals (no standard errors). */
  private RankIntervals.RankInterval interval(EssayEstimate e) {
    return rankIntervals == null ? null : rankIntervals.get(fit.indexOf(e.essayId()));
  }

  /** A split-half figure exists only when at least one split was usable (tiny or one-sided data have none). */
  private Optional<SplitHalfReliability> usableSplitHalf() {
    return splitHalf.filter(h -> h.splits() > 0);
  }

  void writeCsv(PrintWriter out) {
    List<String> columns = new ArrayList<>(List.of(
        "essay_id", "score", "se", "rank", "rank_lower", "rank_upper", "comparisons", "wins", "infit", "outfit"));
    if (grading.enabled()) {
      columns.addAll(List.of("is_anchor", "grade", "grade_confidence", "grade_probabilities"));
    }
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    columns.forEach(schema::addColumn);
    List<List<String>> rows = new ArrayList<>();
    for (EssayEstimate e : fit.ranking()) {
      // Essay ids and grades come from the user's files: defused so a spreadsheet never runs them as formulas.
      List<String> row = new ArrayList<>(List.of(CsvCells.defuse(e.essayId()), number(e.score()),
          number(e.standardError()), Integer.toString(e.rank()),
          interval(e) == null ? "" : Integer.toString(interval(e).lower()),
          interval(e) == null ? "" : Integer.toString(interval(e).upper()),
          Integer.toString(e.comparisons()), Integer.toString(e.wins()),
          number(e.infit()), number(e.outfit())));
      if (grading.enabled()) {
        Grading.EssayGrade g = grading.of(e.essayId());
        row.add(Boolean.toString(g.anchor()));
        row.add(g.grade() == null ? "" : CsvCells.defuse(g.grade()));
        row.add(number(g.confidence()));
        row.add(g.probabilities() == null ? "" : g.probabilities().toString());
      }
      rows.add(row);
    }
    try {
      new CsvMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .writer(schema.build()).writeValues(out).writeAll(rows).close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void writeJson(PrintWriter out) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode summary = root.putObject("summary");
    summary.put("essays", fit.essays().size());
    summary.put("comparisons", fit.comparisons());
    summary.put("ssr", fit.scaleSeparationReliability());
    splitHalf.ifPresent(h -> {
      ObjectNode node = summary.putObject("split_half");
      // null, not 0 or NaN, when no split was usable: there is no figure, and NaN is not JSON
      putOptional(node, "reliability", h.splits() > 0 ? OptionalDouble.of(h.reliability()) : OptionalDouble.empty());
      putOptional(node, "mean_half_correlation", Double.isFinite(h.meanHalfCorrelation())
          ? OptionalDouble.of(h.meanHalfCorrelation()) : OptionalDouble.empty());
      node.put("splits", h.splits());
      node.put("by_judge", h.byJudge());
    });
    summary.put("identification", fit.identification().name());
    summary.put("components", fit.components());
    summary.put("iterations", fit.iterations());
    summary.put("converged", fit.converged());
    summary.put("log_likelihood", fit.logLikelihood());
    summary.put("prior_sd", fit.priorSd());
    summary.put("standard_errors", fit.standardErrorMethod().name());
    summary.put("dispersion", fit.dispersion());
    fit.positionEffect().ifPresent(p -> {
      ObjectNode node = summary.putObject("position_effect");
      node.put("estimate", p.estimate());
      node.put("se", p.standardError());
      node.put("comparisons_with_known_order", p.comparisonsWithKnownOrder());
      node.put("first_shown_win_rate", p.firstShownWinRate());
      node.put("first_shown_win_probability_equal_essays", p.firstShownWinProbability());
    });
    ArrayNode warnings = summary.putArray("warnings");
    fit.warnings().forEach(warnings::add);
    grading.describe(root);
    ArrayNode essays = root.putArray("essays");
    for (EssayEstimate e : fit.ranking()) {
      ObjectNode node = essays.addObject();
      node.put("essay_id", e.essayId());
      node.put("score", e.score());
      putOptional(node, "se", e.standardError());
      node.put("rank", e.rank());
      if (interval(e) == null) {
        node.putNull("rank_interval_95");
      } else {
        ArrayNode interval = node.putArray("rank_interval_95");
        interval.add(interval(e).lower());
        interval.add(interval(e).upper());
      }
      node.put("comparisons", e.comparisons());
      node.put("wins", e.wins());
      putOptional(node, "infit", e.infit());
      putOptional(node, "outfit", e.outfit());
      node.put("identified", e.identified());
      node.put("component", e.component());
      if (grading.enabled()) {
        Grading.EssayGrade g = grading.of(e.essayId());
        node.put("is_anchor", g.anchor());
        node.put("grade", g.grade());
        putOptional(node, "grade_confidence", g.confidence());
        if (g.probabilities() != null) {
          node.set("grade_probabilities", g.probabilities());
        }
      }
    }
    try {
      JSON.writeValue(out, root);
      out.println();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String summary(long elapsedNanos) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "cj score: %d essays, %d comparisons, SSR %.3f, split-half %s, "
        + "%d component%s, %s, %d iterations, SE %s, %.0f ms",
        fit.essays().size(), fit.comparisons(), fit.scaleSeparationReliability(),
        splitHalf.isEmpty() ? "n/a" : usableSplitHalf().map(h -> String.format(Locale.ROOT, "%.3f", h.reliability()))
            .orElse("n/a (no usable split: too few comparisons)"),
        fit.components(),
        fit.components() == 1 ? "" : "s", fit.priorSd() > 0 ? "prior SD " + fit.priorSd() : "plain MLE",
        fit.iterations(), fit.standardErrorMethod().name().toLowerCase(Locale.ROOT), elapsedNanos / 1e6));
    if (fit.dispersion() != 1) {
      s.append(String.format(Locale.ROOT, ", soft outcomes: SEs × √(dispersion %.3f)", fit.dispersion()));
    }
    fit.positionEffect().ifPresent(p -> s.append(String.format(Locale.ROOT,
        ", position effect %+.3f ± %.3f (first shown wins %.1f %% of equal pairs; won %.1f %% of %d with known order)",
        p.estimate(), p.standardError(), 100 * p.firstShownWinProbability(), 100 * p.firstShownWinRate(),
        p.comparisonsWithKnownOrder())));
    grading.summary().ifPresent(g -> s.append(", ").append(g));
    for (String w : fit.warnings()) {
      s.append(System.lineSeparator()).append("cj score: warning: ").append(w);
    }
    return s.toString();
  }

  private static void putOptional(ObjectNode node, String field, OptionalDouble value) {
    if (value.isPresent()) {
      node.put(field, value.getAsDouble());
    } else {
      node.putNull(field);
    }
  }

  static String number(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }

  static String number(OptionalDouble v) {
    return v.isPresent() ? number(v.getAsDouble()) : "";
  }
}
