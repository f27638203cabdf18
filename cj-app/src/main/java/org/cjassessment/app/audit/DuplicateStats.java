package org.cjassessment.app.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The seed's validation statistics over the rows of one event type (pure; {@link DuplicateAudit} reads the rows):
 * distinct batches (aggregate ids), events, duplicates = events − batches, duplicate percentage = duplicates /
 * batches × 100 (the seed's "376 %"), events per batch, the worst batches, and the spacing of consecutive events of
 * one batch (the seed's "~54–56 ms apart").
 */
public record DuplicateStats(
    long batches,
    long events,
    long duplicates,
    double duplicatePercent,
    double eventsPerBatch,
    long batchesWithDuplicates,
    List<Batch> worst,
    Spacing spacing) {

  /** How many of the worst batches a report lists. */
  public static final int WORST = 5;

  /** One stored event: its batch and when it was written. */
  public record Row(String aggregateId, Instant createdAt) {}

  /** A batch, with the spacing of its own consecutive events. */
  public record Batch(String aggregateId, long events, Instant first, Instant last, Spacing spacing) {
    public Duration span() {
      return Duration.between(first, last);
    }
  }

  /** Gaps between consecutive events of one batch, over every batch with more than one event (milliseconds). */
  public record Spacing(long gaps, double minMs, double medianMs, double meanMs, double maxMs, long under100Ms) {
    static final Spacing NONE = new Spacing(0, 0, 0, 0, 0, 0);
  }

  public boolean hasDuplicates() {
    return duplicates > 0;
  }

  /** @param rows ordered by aggregate id, then time */
  public static DuplicateStats of(List<Row> rows) {
    List<Batch> batches = new ArrayList<>();
    List<Double> gaps = new ArrayList<>();
    int i = 0;
    while (i < rows.size()) {
      String id = rows.get(i).aggregateId();
      int j = i;
      List<Double> own = new ArrayList<>();
      while (j + 1 < rows.size() && rows.get(j + 1).aggregateId().equals(id)) {
        j++;
        own.add(Duration.between(rows.get(j - 1).createdAt(), rows.get(j).createdAt()).toNanos() / 1e6);
      }
      gaps.addAll(own);
      batches.add(new Batch(id, j - i + 1L, rows.get(i).createdAt(), rows.get(j).createdAt(), spacing(own)));
      i = j + 1;
    }
    long n = batches.size();
    long events = rows.size();
    long duplicates = events - n;
    List<Batch> worst = batches.stream().filter(b -> b.events() > 1)
        .sorted(Comparator.comparingLong(Batch::events).reversed().thenComparing(Batch::aggregateId))
        .limit(WORST).toList();
    return new DuplicateStats(n, events, duplicates, n == 0 ? 0 : 100.0 * duplicates / n,
        n == 0 ? 0 : (double) events / n, batches.stream().filter(b -> b.events() > 1).count(), worst,
        spacing(gaps));
  }

  private static Spacing spacing(List<Double> gaps) {
    if (gaps.isEmpty()) {
      return Spacing.NONE;
    }
    double[] g = gaps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int m = g.length;
    double median = m % 2 == 1 ? g[m / 2] : (g[m / 2 - 1] + g[m / 2]) / 2;
    return new Spacing(m, g[0], median, Arrays.stream(g).average().orElse(0), g[m - 1],
        Arrays.stream(g).filter(x -> x < 100).count());
  }
}
