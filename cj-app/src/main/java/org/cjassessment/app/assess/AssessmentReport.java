package org.cjassessment.app.assess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.service.CsvCells;
import org.cjassessment.service.Json;
import org.cjassessment.service.report.HtmlReport;
import org.cjassessment.service.report.ReportDocument;

/**
 * What a run prints and writes: the ranking, a one-screen summary, and {@code results.csv}, {@code results.json}
 * and {@code summary.txt} in the output directory, and the HTML report ({@code report.html}) rendered from the
 * same document as {@code results.json}.
 *
 * @param truth hidden true abilities (simulated judge, demo); empty when unknown
 * @param trueGrades true grades (demo); empty when unknown
 */
public record AssessmentReport(EmbeddedAssessment.Outcome outcome, GradeScale scale, Map<String, Double> truth,
    Map<String, String> trueGrades) {

  /** One row per essay, best score first; students carry their rank among students. */
  public List<Map<String, Object>> rows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    if (outcome.results().isEmpty()) {
      return rows;
    }
    int studentRank = 0;
    for (Map<String, Object> e : outcome.results().get().essays()) {
      boolean anchor = Boolean.TRUE.equals(e.get("is_anchor"));
      String id = (String) e.get("essay_id");
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("essay_id", id);
      r.put("type", anchor ? "anchor" : "student");
      r.put("student_rank", anchor ? null : ++studentRank);
      // the 95 % interval of the student's rank among the students, as two columns (CSV-friendly)
      List<?> interval = e.get("rank_interval_95") instanceof List<?> l && l.size() == 2 ? l : null;
      r.put("rank_lower", interval == null ? null : interval.get(0));
      r.put("rank_upper", interval == null ? null : interval.get(1));
      r.put("score", e.get("score"));
      r.put("se", e.get("se"));
      r.put("grade", e.get("grade"));
      r.put("grade_confidence", e.get("grade_confidence"));
      r.put("confidence_label", e.get("confidence_label"));
      r.put("comparisons", e.get("comparisons"));
      r.put("wins", e.get("wins"));
      r.put("infit", e.get("infit"));
      r.put("outfit", e.get("outfit"));
      if (!truth.isEmpty()) {
        r.put("true_ability", truth.get(id));
      }
      if (!trueGrades.isEmpty()) {
        r.put("true_grade", trueGrades.get(id));
      }
      r.put("grade_probabilities", e.get("grade_probabilities"));
      rows.add(r);
    }
    return rows;
  }

  /** Model-level figures, each named for what it is. */
  public Map<String, Object> summary() {
    Map<String, Object> s = new LinkedHashMap<>();
    Map<String, Object> status = outcome.status();
    @SuppressWarnings("unchecked")
    Map<String, Object> progress = (Map<String, Object>) status.get("progress");
    @SuppressWarnings("unchecked")
    Map<String, Object> counts = (Map<String, Object>) status.get("counts");
    s.put("batch_id", status.get("batch_id"));
    s.put("job_id", outcome.jobId());
    s.put("state", status.get("state"));
    s.put("outcome", status.get("outcome"));
    s.put("stop_reason", status.get("stop_reason"));
    s.put("failure_reason", status.get("failure_reason"));
    s.put("grade_scale", scale.id());
    s.put("students", counts.get("students"));
    s.put("anchors", counts.get("anchors"));
    s.put("comparisons_judged", progress.get("judged"));
    s.put("comparisons_errored", progress.get("errored"));
    s.put("comparison_budget", progress.get("budget"));
    int essays = ((Number) counts.get("essays")).intValue();
    s.put("comparisons_per_essay", essays == 0 ? 0.0
        : round(2.0 * ((Number) progress.get("judged")).intValue() / essays, 1));
    s.put("waves", progress.get("wave"));
    s.put("split_half_reliability", outcome.splitHalf().filter(r -> r.splits() > 0)
        .map(r -> round(r.reliability(), 3)).orElse(null));
    s.put("scale_separation_reliability", outcome.result()
        .map(r -> r.path("assessment_metadata").path("scale_separation_reliability"))
        .filter(JsonNode::isNumber).map(n -> round(n.asDouble(), 3)).orElse(null));
    s.put("prompt_tokens", outcome.usage().promptTokens());
    s.put("completion_tokens", outcome.usage().completionTokens());
    s.put("estimated_cost", round(outcome.usage().cost(), 4));
    spearman().ifPresent(v -> s.put("spearman_vs_truth", round(v, 3)));
    if (!trueGrades.isEmpty()) {
      int[] agreement = gradeAgreement();
      s.put("grades_exact_vs_truth", agreement[0]);
      s.put("grades_within_one_vs_truth", agreement[1]);
      s.put("grades_compared", agreement[2]);
    }
    Map<String, Object> records = new LinkedHashMap<>();
    outcome.records().forEach((kind, n) -> records.put(kind.defaultTopic(), n));
    s.put("records_per_output_topic", records);
    s.put("wall_seconds", round(outcome.elapsed().toMillis() / 1000.0, 1));
    return s;
  }

  /** Spearman's ρ of the students' scores against their true abilities. */
  public OptionalDouble spearman() {
    if (truth.isEmpty()) {
      return OptionalDouble.empty();
    }
    Map<String, Double> scores = new LinkedHashMap<>();
    rows().stream().filter(r -> r.get("type").equals("student") && r.get("score") != null)
        .forEach(r -> scores.put((String) r.get("essay_id"), ((Number) r.get("score")).doubleValue()));
    return RankCorrelation.spearman(scores, truth);
  }

  /** {exact, within one grade, compared} over students with a projected and a true grade. */
  int[] gradeAgreement() {
    int exact = 0;
    int withinOne = 0;
    int compared = 0;
    for (Map<String, Object> r : rows()) {
      String projected = (String) r.get("grade");
      String actual = trueGrades.get((String) r.get("essay_id"));
      if (!r.get("type").equals("student") || projected == null || actual == null || !scale.isValid(projected)) {
        continue;
      }
      compared++;
      int gap = Math.abs(scale.rankOf(projected) - scale.rankOf(actual));
      exact += gap == 0 ? 1 : 0;
      withinOne += gap <= 1 ? 1 : 0;
    }
    return new int[] {exact, withinOne, compared};
  }

  /** Writes results.csv, results.json, summary.txt and report.html into {@code dir}; returns the paths written. */
  public List<Path> write(Path dir) {
    try {
      Files.createDirectories(dir);
      Path csv = dir.resolve("results.csv");
      Files.writeString(csv, csv(), StandardCharsets.UTF_8);
      Path json = dir.resolve("results.json");
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("summary", summary());
      doc.put("essays", rows());
      outcome.results().ifPresent(r -> r.fit().forEach(doc::putIfAbsent)); // position effect, grade boundaries
      Files.writeString(json, Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(doc), StandardCharsets.UTF_8);
      Path text = dir.resolve("summary.txt");
      Files.writeString(text, summaryText(), StandardCharsets.UTF_8);
      if (outcome.results().isEmpty()) {
        return List.of(csv, json, text); // a failed batch has no ranking to draw
      }
      Path html = dir.resolve("report.html");
      Files.writeString(html, HtmlReport.render(ReportDocument.from(Json.mapper().valueToTree(doc)), false),
          StandardCharsets.UTF_8);
      return List.of(csv, json, text, html);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write results to " + dir, e);
    }
  }

  String csv() {
    List<Map<String, Object>> rows = rows();
    List<String> columns = new ArrayList<>(rows.isEmpty() ? List.of("essay_id") : rows.get(0).keySet());
    columns.remove("grade_probabilities"); // a JSON object per row: in results.json
    StringBuilder out = new StringBuilder(String.join(",", columns)).append('\n');
    for (Map<String, Object> r : rows) {
      List<String> cells = new ArrayList<>();
      for (String c : columns) {
        Object v = r.get(c);
        cells.add(v == null ? "" : v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : csvCell(v));
      }
      out.append(String.join(",", cells)).append('\n');
    }
    return out.toString();
  }

  /**
   * Text from the user's files (essay ids from file names, grades) is defused so that a spreadsheet never runs it as
   * a formula (a file named {@code =HYPERLINK(...).txt}); numbers and counts are written as they are.
   */
  private static String csvCell(Object value) {
    return value instanceof CharSequence ? CsvCells.text(value.toString()) : CsvCells.value(value.toString());
  }

  /** 0.940, not 0.94 beside 0.976: figures side by side are read more easily with the same decimals. */
  private static String threeDecimals(Object value) {
    return value instanceof Number n ? String.format(Locale.ROOT, "%.3f", n.doubleValue())
        : value == null ? "-" : value.toString();
  }

  /** The ranking, one line per essay: rank, id, score ± SE, grade (and the truth when known). */
  public void printRanking(PrintWriter out) {
    boolean known = !trueGrades.isEmpty();
    out.printf(Locale.ROOT, "%4s  %-22s %15s  %-6s%s%n", "rank", "essay", "score ± SE", "grade",
        known ? "  true grade" : "");
    for (Map<String, Object> r : rows()) {
      Object rank = r.get("student_rank");
      Object se = r.get("se");
      out.printf(Locale.ROOT, "%4s  %-22s %7.2f ± %-5s  %-6s%s%n", rank == null ? "" : rank, r.get("essay_id"),
          ((Number) r.get("score")).doubleValue(), se == null ? "-" : String.format(Locale.ROOT, "%.2f", se),
          r.get("grade") == null ? "-" : r.get("grade") + (r.get("type").equals("anchor") ? "*" : ""),
          known ? "  " + r.get("true_grade") : "");
    }
    if (rows().stream().anyMatch(r -> "anchor".equals(r.get("type")))) {
      out.println("  (* anchor: its grade is given, not projected)");
    } else {
      out.println("  (no anchors: no grades; give anchor essays of known grade with --anchors)");
    }
  }

  /** The one-screen summary. */
  public String summaryText() {
    Map<String, Object> s = summary();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Batch %s (job %s): %s%s%n", s.get("batch_id"), s.get("job_id"),
        s.get("state"), s.get("outcome") != null ? " " + s.get("outcome")
            : s.get("failure_reason") != null ? " " + s.get("failure_reason") : ""));
    b.append(String.format(Locale.ROOT, "Essays            %s students, %s anchors, scale %s%n", s.get("students"),
        s.get("anchors"), s.get("grade_scale")));
    b.append(String.format(Locale.ROOT, "Comparisons       %s judged of a budget of %s (%s per essay) in %s waves, %s"
        + " errors%n", s.get("comparisons_judged"), s.get("comparison_budget"), s.get("comparisons_per_essay"),
        s.get("waves"), s.get("comparisons_errored")));
    Object ssr = s.get("scale_separation_reliability");
    Object splitHalf = s.get("split_half_reliability");
    b.append("Reliability       split-half ").append(threeDecimals(splitHalf))
        .append(", SSR ").append(threeDecimals(ssr))
        .append(" (split-half leads: SSR rests on the model's own standard errors)\n");
    b.append(String.format(Locale.ROOT, "Tokens and cost   %,d prompt + %,d completion tokens, estimated cost $%.4f%n",
        outcome.usage().promptTokens(), outcome.usage().completionTokens(), outcome.usage().cost()));
    if (s.containsKey("spearman_vs_truth")) {
      b.append("Spearman vs truth ").append(s.get("spearman_vs_truth")).append(" (students' scores against their "
          + "hidden true abilities)\n");
    }
    if (s.containsKey("grades_compared")) {
      b.append(String.format(Locale.ROOT, "Grades vs truth   %s of %s exact, %s within one grade%n",
          s.get("grades_exact_vs_truth"), s.get("grades_compared"), s.get("grades_within_one_vs_truth")));
    }
    b.append("Read from Kafka   ");
    List<String> parts = new ArrayList<>();
    outcome.records().forEach((kind, n) -> parts.add(label(kind) + " " + n));
    b.append(String.join(", ", parts)).append(" record(s) for this batch\n");
    b.append(String.format(Locale.ROOT, "Wall time         %.1f s%n", outcome.elapsed().toMillis() / 1000.0));
    return b.toString();
  }

  private static String label(EventKind kind) {
    return switch (kind) {
      case COMPLETED -> "completed";
      case RESULT_PUBLISHED -> "result";
      case RESOURCE_CONSUMPTION -> "resource consumption";
      case FAILED -> "failed";
      default -> kind.name().toLowerCase(Locale.ROOT);
    };
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
