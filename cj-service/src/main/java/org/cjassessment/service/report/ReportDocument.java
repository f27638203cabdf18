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

  /** One essay. {@code rankLow}/{@code rankHigh} bound the 95 % rank interval when the document has it. */
  public record Essay(
      String essayId,
      int rank,
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
      position++;
      essays.add(essay(e, position));
    }
    return new ReportDocument(header(root), reliability(root), positionEffect(root), boundaries(root),
        List.copyOf(essays));
  }

  private static Header header(JsonNode root) {
    JsonNode progress = root.path("progress");
    JsonNode judge = first(root, "judge");
    JsonNode usage = first(root, "usage", "cost");
    return new Header(
        text(root, "batch_id").orElse(text(root, "job_id").orElse("(unnamed batch)")),
        text(root, "job_id"),
        text(root, "completed_at").or(() -> text(root, "assessed_at")).or(() -> text(root, "created_at")),
        text(root, "grade_scale").or(() -> text(root.path("grades"), "scale")),
        text(root, "outcome"),
        text(root, "stop_reason"),
        integer(progress, "budget").isPresent() ? integer(progress, "budget") : integer(root, "budget"),
        integer(progress, "judged").isPresent() ? integer(progress, "judged") : integer(root, "comparisons_judged"),
        text(judge, "provider"),
        text(judge, "model"),
        text(judge, "prompt_hash"),
        integer(usage, "input_tokens"),
        integer(usage, "output_tokens"),
        number(usage, "cost_usd"));
  }

  private static Optional<Reliability> reliability(JsonNode root) {
    JsonNode r = root.path("reliability");
    OptionalDouble ssr = number(r, "ssr");
    OptionalDouble splitHalf = number(r, "split_half");
    // the results API's "reliability" object, flat fields, or the "summary" of cj score --format json
    for (JsonNode container : new JsonNode[] {root, root.path("summary")}) {
      ssr = ssr.isPresent() ? ssr : number(container, "ssr");
      splitHalf = splitHalf.isPresent() ? splitHalf : number(container, "split_half");
      splitHalf = splitHalf.isPresent() ? splitHalf : number(container, "split_half_reliability");
    }
    return ssr.isEmpty() && splitHalf.isEmpty() ? Optional.empty() : Optional.of(new Reliability(ssr, splitHalf));
  }

  private static Optional<PositionEffect> positionEffect(JsonNode root) {
    JsonNode p = root.path("position_effect").isObject() ? root.path("position_effect")
        : root.path("summary").path("position_effect");
    OptionalDouble estimate = number(p, "estimate");
    if (estimate.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PositionEffect(estimate.getAsDouble(), number(p, "se"),
        number(p, "first_slot_win_rate")));
  }

  private static List<Boundary> boundaries(JsonNode root) {
    List<Boundary> out = new ArrayList<>();
    for (JsonNode b : root.path("grade_boundaries")) {
      Optional<String> lower = text(b, "lower_grade");
      Optional<String> upper = text(b, "upper_grade");
      OptionalDouble ability = number(b, "ability");
      if (lower.isPresent() && upper.isPresent() && ability.isPresent()) {
        out.add(new Boundary(lower.get(), upper.get(), ability.getAsDouble()));
      }
    }
    // cj score --format json: grade bands with their lower ends
    String previous = null;
    for (JsonNode band : root.path("grades").path("bands")) {
      Optional<String> grade = text(band, "grade");
      OptionalDouble lower = number(band, "lower");
      if (previous != null && grade.isPresent() && lower.isPresent() && !root.has("grade_boundaries")) {
        out.add(new Boundary(previous, grade.get(), lower.getAsDouble()));
      }
      previous = grade.orElse(null);
    }
    out.sort((a, b) -> Double.compare(a.ability(), b.ability()));
    return List.copyOf(out);
  }

  private static Essay essay(JsonNode e, int position) {
    Optional<String> id = text(e, "essay_id");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("essay " + position + " of the results document has no essay_id");
    }
    OptionalDouble score = number(e, "score").isPresent() ? number(e, "score") : number(e, "bt_score");
    OptionalDouble se = number(e, "se").isPresent() ? number(e, "se") : number(e, "bt_se");
    if (score.isEmpty() || se.isEmpty()) {
      throw new IllegalArgumentException("essay " + id.get() + " has no score and SE; render a completed batch");
    }
    JsonNode interval = e.path("rank_interval");
    OptionalInt low = integer(e, "rank_low").isPresent() ? integer(e, "rank_low") : integer(interval, "low");
    OptionalInt high = integer(e, "rank_high").isPresent() ? integer(e, "rank_high") : integer(interval, "high");
    return new Essay(id.get(), integer(e, "rank").orElse(position), low, high, score.getAsDouble(),
        se.getAsDouble(), e.path("is_anchor").asBoolean(false),
        text(e, "grade").or(() -> text(e, "letter_grade")),
        number(e, "grade_confidence").isPresent() ? number(e, "grade_confidence") : number(e, "confidence_score"),
        integer(e, "comparisons").orElse(0), number(e, "infit"), text(e, "text"));
  }

  private static JsonNode first(JsonNode root, String... names) {
    for (String name : names) {
      if (root.path(name).isObject()) {
        return root.path(name);
      }
    }
    return root.path(names[0]);
  }

  static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !v.isNull() && !v.asText().isEmpty() ? Optional.of(v.asText()) : Optional.empty();
  }

  static OptionalDouble number(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isNumber() && Double.isFinite(v.asDouble()) ? OptionalDouble.of(v.asDouble()) : OptionalDouble.empty();
  }

  static OptionalInt integer(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.canConvertToInt() && v.isNumber() ? OptionalInt.of(v.asInt())
        : v.isTextual() && v.asText().matches("\\d{1,9}") ? OptionalInt.of(Integer.parseInt(v.asText()))
        : OptionalInt.empty();
  }
}
