package org.cjassessment.service.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What the HTML report shows, read from a results document (the JSON of {@code GET /api/v1/batches/{id}/results},
 * {@code results.json} of {@code cj assess}/{@code cj demo}). Every section but the essays is optional: a figure the
 * document does not carry is absent here, and its panel is left out of the page rather than faked.
 */
public record ReportDocument(
    Header header,
    Optional<Reliability> reliability,
    Optional<PositionEffect> positionEffect,
    List<Boundary> boundaries,
    List<Essay> essays) {

  /** Batch-level facts for the header; each may be missing. */
  public record Header(
      String batchId,
      Optional<String> jobId,
      Optional<String> date,
      Optional<String> gradeScale,
      Optional<String> outcome,
      Optional<String> stopReason,
      OptionalInt budget,
      OptionalInt judged,
      Optional<String> judgeProvider,
      Optional<String> judgeModel,
      Optional<String> promptHash,
      OptionalInt inputTokens,
      OptionalInt outputTokens,
      OptionalDouble costUsd) {}

  /** Scale separation reliability and split-half reliability (either may be missing). */
  public record Reliability(OptionalDouble ssr, OptionalDouble splitHalf) {}

  /** The judge's preference for the first-shown essay: logits, its SE, and the raw first-slot win rate. */
  public record PositionEffect(double estimate, OptionalDouble se, OptionalDouble firstSlotWinRate) {}

  /** The score (logits) where {@code lower} ends and {@code upper} begins. */
  public record Boundary(String lower, String upper, double ability) {}

  /**
   * One essay. {@code rank} is absent for an anchor where the document ranks students only; {@code rankLow} and
   * {@code rankHigh} bound the 95 % rank interval when the document has it.
   */
  public record Essay(
      String essayId,
      OptionalInt rank,
      OptionalInt rankLow,
      OptionalInt rankHigh,
      double score,
      double se,
      boolean anchor,
      Optional<String> grade,
      OptionalDouble gradeConfidence,
      int comparisons,
      OptionalDouble infit,
      Optional<String> text) {}

  /** Reads a results document; a document without essays is a user mistake, said plainly. */
  public static ReportDocument from(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("a results document is a JSON object with an \"essays\" array");
    }
    JsonNode essaysNode = root.path("essays");
    if (!essaysNode.isArray()) {
      throw new IllegalArgumentException("the results document has no \"essays\" array");
    }
    List<Essay> essays = new ArrayList<>();
    int position = 0;
    for (JsonNode e : essaysNode) {
      essays.add(essay(e, ++position));
    }
    return new ReportDocument(header(root), reliability(root), positionEffect(root), boundaries(root),
        List.copyOf(essays));
  }

  private static Header header(JsonNode root) {
    JsonNode judge = first(root, "judge");
    JsonNode usage = first(root, "usage", "cost");
    return new Header(
        text(root, "batch_id").or(() -> text(root, "job_id")).orElse("(unnamed batch)"),
        text(root, "job_id"),
        find(root, "completed_at", "assessed_at", "created_at").map(JsonNode::asText),
        text(root, "grade_scale").or(() -> text(root.path("grades"), "scale")),
        text(root, "outcome"),
        text(root, "stop_reason"),
        integer(find(root, "budget", "comparison_budget")),
        integer(find(root, "judged", "comparisons_judged")),
        text(judge, "provider").or(() -> text(root, "judge_provider")),
        text(judge, "model").or(() -> text(root, "judge_model")),
        text(judge, "prompt_hash").or(() -> text(root, "prompt_hash")),
        integer(find(usage, "input_tokens").or(() -> find(root, "prompt_tokens", "input_tokens"))),
        integer(find(usage, "output_tokens").or(() -> find(root, "completion_tokens", "output_tokens"))),
        number(find(usage, "cost_usd").or(() -> find(root, "estimated_cost", "cost_usd"))));
  }

  /**
   * The first of {@code names} present in the document itself, its {@code progress} object or its {@code summary}
   * (the results API nests counts under progress; cj assess and cj score put batch figures under summary).
   */
  private static Optional<JsonNode> find(JsonNode root, String... names) {
    for (JsonNode container : new JsonNode[] {root, root.path("progress"), root.path("summary")}) {
      for (String name : names) {
        JsonNode v = container.path(name);
        if (v.isValueNode() && !v.isNull()) {
          return Optional.of(v);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> text(JsonNode root, String field) {
    return find(root, field).map(JsonNode::asText).filter(t -> !t.isEmpty());
  }

  private static Optional<Reliability> reliability(JsonNode root) {
    JsonNode r = root.path("reliability");
    OptionalDouble ssr = number(find(r, "ssr").or(() -> find(root, "ssr", "scale_separation_reliability")));
    OptionalDouble splitHalf = number(find(r, "split_half")
        .or(() -> find(root, "split_half_reliability"))
        .or(() -> splitHalfObject(root)));
    return ssr.isEmpty() && splitHalf.isEmpty() ? Optional.empty() : Optional.of(new Reliability(ssr, splitHalf));
  }

  /** cj score's {@code summary.split_half}: an object whose {@code reliability} is the corrected figure. */
  private static Optional<JsonNode> splitHalfObject(JsonNode root) {
    for (JsonNode container : new JsonNode[] {root, root.path("summary"), root.path("reliability")}) {
      JsonNode v = container.path("split_half");
      if (v.isNumber()) {
        return Optional.of(v);
      }
      if (v.isObject()) {
        return field(v, "reliability");
      }
    }
    return Optional.empty();
  }

  private static Optional<PositionEffect> positionEffect(JsonNode root) {
    JsonNode p = root.path("position_effect").isObject() ? root.path("position_effect")
        : root.path("summary").path("position_effect");
    OptionalDouble estimate = number(field(p, "estimate"));
    if (estimate.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PositionEffect(estimate.getAsDouble(), number(field(p, "se")),
        number(field(p, "first_slot_win_rate", "first_shown_win_rate"))));
  }

  private static List<Boundary> boundaries(JsonNode root) {
    List<Boundary> out = new ArrayList<>();
    for (JsonNode b : root.path("grade_boundaries")) {
      Optional<String> lower = text(b, "lower_grade");
      Optional<String> upper = text(b, "upper_grade");
      OptionalDouble ability = number(field(b, "ability"));
      if (lower.isPresent() && upper.isPresent() && ability.isPresent()) {
        out.add(new Boundary(lower.get(), upper.get(), ability.getAsDouble()));
      }
    }
    // cj score --format json: grade bands with their lower ends
    String previous = null;
    for (JsonNode band : root.path("grades").path("bands")) {
      Optional<String> grade = text(band, "grade");
      OptionalDouble lower = number(field(band, "lower"));
      if (previous != null && grade.isPresent() && lower.isPresent() && !root.has("grade_boundaries")) {
        out.add(new Boundary(previous, grade.get(), lower.getAsDouble()));
      }
      previous = grade.orElse(null);
    }
    out.sort((a, b) -> Double.compare(a.ability(), b.ability()));
    return List.copyOf(out);
  }

  private static Essay essay(JsonNode e, int position) {
    Optional<String> id = field(e, "essay_id").map(JsonNode::asText);
    if (id.isEmpty()) {
      throw new IllegalArgumentException("essay " + position + " of the results document has no essay_id");
    }
    OptionalDouble score = number(field(e, "score", "bt_score"));
    OptionalDouble se = number(field(e, "se", "bt_se"));
    if (score.isEmpty() || se.isEmpty()) {
      throw new IllegalArgumentException("essay " + id.get() + " has no score and SE; render the results of a "
          + "completed batch, or of cj score without --no-se (the report draws each score with its interval)");
    }
    // {low, high}, {lower, upper} or [lower, upper]
    JsonNode interval = field(e, "rank_interval", "rank_interval_95").orElse(e.path("rank_interval"));
    OptionalInt low = integer(field(e, "rank_low", "rank_lower").or(() -> field(interval, "low", "lower"))
        .or(() -> interval.isArray() && interval.size() == 2 ? Optional.of(interval.get(0)) : Optional.empty()));
    OptionalInt high = integer(field(e, "rank_high", "rank_upper").or(() -> field(interval, "high", "upper"))
        .or(() -> interval.isArray() && interval.size() == 2 ? Optional.of(interval.get(1)) : Optional.empty()));
    boolean anchor = e.path("is_anchor").asBoolean(false) || "anchor".equals(e.path("type").asText());
    return new Essay(id.get(), integer(field(e, "rank", "student_rank")), low, high, score.getAsDouble(),
        se.getAsDouble(), anchor, field(e, "grade", "letter_grade").map(JsonNode::asText),
        number(field(e, "grade_confidence", "confidence_score")),
        integer(field(e, "comparisons")).orElse(0), number(field(e, "infit")),
        field(e, "text").map(JsonNode::asText));
  }

  private static JsonNode first(JsonNode root, String... names) {
    for (String name : names) {
      if (root.path(name).isObject()) {
        return root.path(name);
      }
    }
    return root.path(names[0]);
  }

  /** The first of {@code names} that is a non-null value or container of {@code node}. */
  private static Optional<JsonNode> field(JsonNode node, String... names) {
    for (String name : names) {
      JsonNode v = node.path(name);
      if (!v.isMissingNode() && !v.isNull()) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  private static OptionalDouble number(Optional<JsonNode> v) {
    return v.filter(JsonNode::isNumber).filter(n -> Double.isFinite(n.asDouble()))
        .map(n -> OptionalDouble.of(n.asDouble())).orElse(OptionalDouble.empty());
  }

  private static OptionalInt integer(Optional<JsonNode> v) {
    return v.filter(n -> n.isIntegralNumber() && n.canConvertToInt()
        || n.isTextual() && n.asText().matches("\\d{1,9}"))
        .map(n -> OptionalInt.of(n.isTextual() ? Integer.parseInt(n.asText()) : n.asInt()))
        .orElse(OptionalInt.empty());
  }
}
