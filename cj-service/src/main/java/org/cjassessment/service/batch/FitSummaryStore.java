package org.cjassessment.service.batch;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cjassessment.core.batch.StopReason;
import org.cjassessment.core.bt.PositionEffect;
import org.cjassessment.core.bt.RankIntervals;
import org.cjassessment.core.bt.SplitHalfReliability;
import org.cjassessment.core.grade.GradeBoundary;
import org.cjassessment.service.Json;
import org.jdbi.v3.core.Handle;

/** Owner of {@code fit_summaries}: the reliability figures and rank intervals of a completed batch's fit. */
public final class FitSummaryStore {

  /**
   * @param splitHalfReliability empty when no split was usable
   * @param rankIntervals student essay id → [lower, upper] of its 95 % rank interval among the students
   * @param stopReason why the batch stopped asking for comparisons ({@link StopReason#id()}); empty before V6
   * @param positionEffect {estimate, se, comparisons_with_known_order, first_shown_win_rate}; empty when the fit
   *     had no presentation order or could not estimate it
   * @param gradeBoundaries [{lower_grade, upper_grade, ability}] of the projection; empty when none was possible
   */
  public record FitSummary(double scaleSeparationReliability, Optional<Double> splitHalfReliability,
      int splitHalfSplits, boolean splitHalfByJudge, Map<String, List<Integer>> rankIntervals,
      Optional<String> stopReason, Optional<Map<String, Object>> positionEffect,
      List<Map<String, Object>> gradeBoundaries) {}

  /** What finalization measured beside the scores. */
  public record Measured(double ssr, SplitHalfReliability splitHalf, List<RankIntervals.RankInterval> studentIntervals,
      StopReason stopReason, Optional<PositionEffect> positionEffect, List<GradeBoundary> boundaries) {}

  public void save(Handle h, long batchId, Measured m) {
    Map<String, List<Integer>> intervals = new java.util.TreeMap<>();
    m.studentIntervals().forEach(i -> intervals.put(i.essayId(), List.of(i.lower(), i.upper())));
    Map<String, Object> position = m.positionEffect().map(p -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("estimate", p.estimate());
      e.put("se", p.standardError());
      e.put("comparisons_with_known_order", p.comparisonsWithKnownOrder());
      e.put("first_shown_win_rate", p.firstShownWinRate());
      return e;
    }).orElse(null);
    List<Map<String, Object>> boundaries = m.boundaries().stream().map(b -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("lower_grade", b.lowerGrade());
      e.put("upper_grade", b.upperGrade());
      e.put("ability", b.ability());
      return e;
    }).toList();
    h.createUpdate("""
            INSERT INTO fit_summaries (batch_id, scale_separation_reliability, split_half_reliability,
                                       split_half_splits, split_half_by_judge, rank_intervals, stop_reason,
                                       position_effect, grade_boundaries)
            VALUES (:id, :ssr, :splitHalf, :splits, :byJudge, CAST(:intervals AS jsonb), :stopReason,
                    CAST(:position AS jsonb), CAST(:boundaries AS jsonb))
            """)
        .bind("id", batchId).bind("ssr", m.ssr())
        .bind("splitHalf", m.splitHalf().splits() > 0 ? m.splitHalf().reliability() : null)
        .bind("splits", m.splitHalf().splits()).bind("byJudge", m.splitHalf().byJudge())
        .bind("intervals", Json.write(intervals))
        .bind("stopReason", m.stopReason().id())
        .bind("position", position == null ? null : Json.write(position))
        .bind("boundaries", Json.write(boundaries))
        .execute();
  }

  private static Map<String, List<Integer>> intervals(String json) {
    try {
      return Json.mapper().readValue(json, new TypeReference<Map<String, List<Integer>>>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("fit_summaries.rank_intervals is not a JSON object of [lower, upper]", e);
    }
  }

  private static Map<String, Object> object(String json) {
    try {
      return Json.mapper().readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("fit_summaries.position_effect is not a JSON object", e);
    }
  }

  private static List<Map<String, Object>> objects(String json) {
    try {
      return Json.mapper().readValue(json, new TypeReference<List<Map<String, Object>>>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("fit_summaries.grade_boundaries is not a JSON array of objects", e);
    }
  }

  public Optional<FitSummary> find(Handle h, long batchId) {
    return h.createQuery("""
            SELECT scale_separation_reliability, split_half_reliability, split_half_splits, split_half_by_judge,
                   rank_intervals::text AS rank_intervals, stop_reason, position_effect::text AS position_effect,
                   grade_boundaries::text AS grade_boundaries
            FROM fit_summaries WHERE batch_id = :id
            """)
        .bind("id", batchId)
        .map((rs, ctx) -> {
          double splitHalf = rs.getDouble("split_half_reliability");
          Optional<Double> present = rs.wasNull() ? Optional.empty() : Optional.of(splitHalf);
          return new FitSummary(rs.getDouble("scale_separation_reliability"), present,
              rs.getInt("split_half_splits"), rs.getBoolean("split_half_by_judge"),
              intervals(rs.getString("rank_intervals")), Optional.ofNullable(rs.getString("stop_reason")),
              Optional.ofNullable(rs.getString("position_effect")).map(FitSummaryStore::object),
              rs.getString("grade_boundaries") == null ? List.of() : objects(rs.getString("grade_boundaries")));
        })
        .findOne();
  }
}
