package org.cjassessment.app.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Renders {@link DuplicateStats} as the text report or as JSON; figures rounded only here. */
public final class DuplicateReport {

  private DuplicateReport() {}

  public static String text(AuditSchema schema, String eventType, Instant since, DuplicateStats s) {
    StringBuilder b = new StringBuilder();
    b.append("duplicate audit: ").append(schema.label()).append(" schema (table ").append(schema.table())
        .append("), event type ").append(eventType).append(since == null ? "" : ", since " + since).append('\n');
    line(b, "distinct batches", Long.toString(s.batches()));
    line(b, "total events", Long.toString(s.events()));
    line(b, "duplicates", Long.toString(s.duplicates()));
    line(b, "duplicate percentage", fmt("%.2f %%", s.duplicatePercent()));
    line(b, "events per batch", fmt("%.2f", s.eventsPerBatch()));
    line(b, "batches with duplicates", Long.toString(s.batchesWithDuplicates()));
    if (!s.worst().isEmpty()) {
      b.append("worst batches:\n");
      for (DuplicateStats.Batch w : s.worst()) {
        b.append(fmt("  %-38s %4d events  %s .. %s  span %s  gaps min %s, median %s, max %s%n", w.aggregateId(),
            w.events(), w.first(), w.last(), span(w.span()), ms(w.spacing().minMs()), ms(w.spacing().medianMs()),
            ms(w.spacing().maxMs())));
      }
      DuplicateStats.Spacing g = s.spacing();
      b.append(fmt("spacing of consecutive duplicates (all batches): %d gaps, min %s, median %s, max %s; "
          + "%d under 100 ms%n", g.gaps(), ms(g.minMs()), ms(g.medianMs()), ms(g.maxMs()), g.under100Ms()));
    }
    b.append(s.batches() == 0 ? "verdict: no events of this type\n"
        : s.hasDuplicates() ? "verdict: DUPLICATES\n" : "verdict: one event per batch\n");
    return b.toString();
  }

  public static String json(AuditSchema schema, String eventType, Instant since, DuplicateStats s) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("schema", schema.label());
    root.put("table", schema.table());
    root.put("event_type", eventType);
    root.put("since", since == null ? null : since.toString());
    root.put("distinct_batches", s.batches());
    root.put("total_events", s.events());
    root.put("duplicates", s.duplicates());
    root.put("duplicate_percentage", round(s.duplicatePercent()));
    root.put("events_per_batch", round(s.eventsPerBatch()));
    root.put("batches_with_duplicates", s.batchesWithDuplicates());
    ArrayNode worst = root.putArray("worst_batches");
    for (DuplicateStats.Batch w : s.worst()) {
      ObjectNode o = worst.addObject();
      o.put("aggregate_id", w.aggregateId());
      o.put("events", w.events());
      o.put("first", w.first().toString());
      o.put("last", w.last().toString());
      o.put("span_seconds", w.span().toMillis() / 1000.0);
      o.put("gap_min_ms", w.spacing().minMs());
      o.put("gap_median_ms", w.spacing().medianMs());
      o.put("gap_max_ms", w.spacing().maxMs());
    }
    ObjectNode g = root.putObject("spacing_ms");
    g.put("gaps", s.spacing().gaps());
    g.put("min", s.spacing().minMs());
    g.put("median", s.spacing().medianMs());
    g.put("mean", round(s.spacing().meanMs()));
    g.put("max", s.spacing().maxMs());
    g.put("under_100", s.spacing().under100Ms());
    root.put("duplicates_found", s.hasDuplicates());
    try {
      return mapper.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "6.0 s", "12m 5s", "3h 4m", "5d 23h 48m". */
  static String span(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return fmt("%.1f s", d.toMillis() / 1000.0);
    }
    if (s < 3600) {
      return fmt("%dm %ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return fmt("%dh %dm", s / 3600, s % 3600 / 60);
    }
    return fmt("%dd %dh %dm", s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
  }

  private static String ms(double ms) {
    return ms < 60_000 ? fmt("%.0f ms", ms) : span(Duration.ofMillis((long) ms));
  }

  private static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }

  private static void line(StringBuilder b, String name, String value) {
    b.append(fmt("%-24s %s%n", name, value));
  }

  private static String fmt(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
