package org.cjassessment.app.audit;

/**
 * The two outbox tables the audit reads. Ours ({@code outbox}: one row per event, a full unique event id, a status)
 * and the upstream Python service's ({@code event_outbox}, shared/reference/upstream-reliability.md §1.1: no event
 * id column, "unpublished" = {@code published_at IS NULL}). Both have aggregate_id, event_type and created_at.
 */
public enum AuditSchema {
  NATIVE("outbox", "status <> 'PUBLISHED'"),
  UPSTREAM("event_outbox", "published_at IS NULL");

  private final String table;
  private final String unpublished;

  AuditSchema(String table, String unpublished) {
    this.table = table;
    this.unpublished = unpublished;
  }

  public String table() {
    return table;
  }

  /** A condition on the table's columns, true for a row the relay has not published. */
  public String unpublished() {
    return unpublished;
  }

  public String label() {
    return name().toLowerCase();
  }
}
