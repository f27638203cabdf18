package org.cjassessment.app.audit;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Reads an outbox for {@link DuplicateStats}, and removes unpublished duplicates ({@link #clean}). The table name
 * comes from {@link AuditSchema}, never from user input; every value is bound.
 */
public final class DuplicateAudit {

  /** An unpublished duplicate: what {@link #clean} removes, or would remove. */
  public record Removable(String id, String aggregateId, Instant createdAt) {}

  private final AuditSchema schema;

  public DuplicateAudit(AuditSchema schema) {
    this.schema = schema;
  }

  /** The rows of one event type, written at or after {@code since} (null: all), by batch then time. */
  public List<DuplicateStats.Row> rows(Handle h, String eventType, Instant since) {
    return h.createQuery("SELECT aggregate_id, created_at FROM " + schema.table()
        + " WHERE event_type = :type AND created_at >= :since ORDER BY aggregate_id, created_at, id")
        .bind("type", eventType)
        .bind("since", since == null ? Instant.EPOCH : since)
        .map((rs, ctx) -> new DuplicateStats.Row(rs.getString(1), rs.getTimestamp(2).toInstant()))
        .list();
  }

  public DuplicateStats stats(Handle h, String eventType, Instant since) {
    return DuplicateStats.of(rows(h, eventType, since));
  }

  /**
   * Unpublished rows that are not the oldest of their (aggregate, event type) — the upstream migration's rule,
   * except that the oldest is looked for among all rows, published or not, so a batch whose first event went out
   * keeps nothing else. With {@code delete}, removes them in the caller's transaction: the status is checked again
   * under the row lock, so a row the relay publishes meanwhile is kept.
   */
  public List<Removable> clean(Handle h, String eventType, Instant since, boolean delete) {
    String ranked = "WITH ranked AS (SELECT id, row_number() OVER (PARTITION BY aggregate_id, event_type "
        + "ORDER BY created_at, id) AS rn FROM " + schema.table() + " WHERE event_type = :type) ";
    String sql = delete
        ? ranked + "DELETE FROM " + schema.table() + " o USING ranked r WHERE o.id = r.id AND r.rn > 1 AND o."
            + schema.unpublished() + " AND o.created_at >= :since RETURNING o.id, o.aggregate_id, o.created_at"
        : ranked + "SELECT o.id, o.aggregate_id, o.created_at FROM " + schema.table()
            + " o JOIN ranked r ON o.id = r.id WHERE r.rn > 1 AND o." + schema.unpublished()
            + " AND o.created_at >= :since ORDER BY o.aggregate_id, o.created_at";
    List<Removable> rows = h.createQuery(sql)
        .bind("type", eventType)
        .bind("since", since == null ? Instant.EPOCH : since)
        .map((rs, ctx) -> new Removable(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
        .list();
    return rows.stream()
        .sorted(java.util.Comparator.comparing(Removable::aggregateId).thenComparing(Removable::createdAt))
        .toList();
  }
}
