package org.cjassessment.service.batch;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cjassessment.core.bt.RankIntervals;
import org.cjassessment.core.bt.SplitHalfReliability;
import org.cjassessment.service.Json;
import org.jdbi.v3.core.Handle;

/** Owner of {@code fit_summaries}: the reliability figures and rank intervals of a completed batch's fit. */
public final class FitSummaryStore {

  /**
   * @param splitHalfReliability empty when no split was usable
   * @param rankIntervals student essay id → [lower, upper] of its 95 % rank interval among the students
   */
  public record FitSummary(double scaleSeparationReliability, Optional<Double> splitHalfReliability,
      int splitHalfSplits, boolean splitHalfByJudge, Map<String, List<Integer>> rankIntervals) {}

  public void save(Handle h, long batchId, double ssr, SplitHalfReliability splitHalf,
      List<RankIntervals.RankInterval> studentIntervals) {
    Map<String, List<Integer>> intervals = new java.util.TreeMap<>();
    studentIntervals.forEach(i -> intervals.put(i.essayId(), List.of(i.lower(), i.upper())));
    h.createUpdate("""
            INSERT INTO fit_summaries (batch_id, scale_separation_reliability, split_half_reliability,
                                       split_half_splits, split_half_by_judge, rank_intervals)
            VALUES (:id, :ssr, :splitHalf, :splits, :byJudge, CAST(:intervals AS jsonb))
            """)
        .bind("id", batchId).bind("ssr", ssr)
        .bind("splitHalf", splitHalf.splits() > 0 ? splitHalf.reliability() : null)
        .bind("splits", splitHalf.splits()).bind("byJudge", splitHalf.byJudge())
        .bind("intervals", Json.write(intervals))
        .execute();
  }

  private static Map<String, List<Integer>> intervals(String json) {
    try {
      return Json.mapper().readValue(json, new TypeReference<Map<String, List<Integer>>>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("fit_summaries.rank_intervals is not a JSON object of [lower, upper]", e);
    }
  }

  public Optional<FitSummary> find(Handle h, long batchId) {
    return h.createQuery("""
            SELECT scale_separation_reliability, split_half_reliability, split_half_splits, split_half_by_judge,
                   rank_intervals::text AS rank_intervals
            FROM fit_summaries WHERE batch_id = :id
            """)
        .bind("id", batchId)
        .map((rs, ctx) -> {
          double splitHalf = rs.getDouble("split_half_reliability");
          Optional<Double> present = rs.wasNull() ? Optional.empty() : Optional.of(splitHalf);
          return new FitSummary(rs.getDouble("scale_separation_reliability"), present,
              rs.getInt("split_half_splits"), rs.getBoolean("split_half_by_judge"),
              intervals(rs.getString("rank_intervals")));
        })
        .findOne();
  }
}
