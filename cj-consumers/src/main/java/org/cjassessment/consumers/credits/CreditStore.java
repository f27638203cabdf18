package org.cjassessment.consumers.credits;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Owns {@code credit_balances} and {@code credit_operations}. Every statement runs on the caller's handle. */
public final class CreditStore {

  /** Who can pay: an organisation or a user. */
  public enum Subject {
    ORG("org"),
    USER("user");

    final String column;

    Subject(String column) {
      this.column = column;
    }
  }

  /** The business key of a charge, and what it is for. */
  public record Charge(String sourceService, String processingId, String metric, String eventId, String batchId,
      String userId, String orgId, long quantity, long cost) {}

  /** A recorded operation (for reports and tests). */
  public record Operation(String sourceService, String processingId, String metric, String eventId, long cost,
      String outcome, String chargedSubjectType, String chargedSubjectId, Long balanceAfter) {}

  /**
   * Claims the charge's business key. False when an operation with the same (source service, job, metric) exists:
   * a logical duplicate. A concurrent claim of the same key waits on the unique index until the first commits, then
   * gets false — so two deliveries racing in two instances cannot both charge.
   */
  public boolean claim(Handle h, Charge c) {
    return h.createUpdate("""
            INSERT INTO credit_operations (source_service, processing_id, metric, event_id, batch_id, user_id, org_id,
                                           quantity, cost, outcome)
            VALUES (:sourceService, :processingId, :metric, :eventId, :batchId, :userId, :orgId, :quantity, :cost,
                    'INSUFFICIENT_CREDITS')
            ON CONFLICT ON CONSTRAINT credit_operations_business_key DO NOTHING
            """)
        .bindMethods(c)
        .execute() == 1;
  }

  /**
   * Takes {@code cost} from the subject if, and only if, it has that much: one conditional UPDATE, so there is no
   * window between reading the balance and writing it (the upstream SELECT-then-UPDATE lost updates). Empty when the
   * subject has no balance row or too little.
   */
  public Optional<Long> debit(Handle h, Subject subject, String subjectId, long cost) {
    return h.createQuery("""
            UPDATE credit_balances SET balance = balance - :cost, updated_at = now()
            WHERE subject_type = :type AND subject_id = :id AND balance >= :cost
            RETURNING balance
            """)
        .bind("cost", cost)
        .bind("type", subject.column)
        .bind("id", subjectId)
        .mapTo(Long.class)
        .findOne();
  }

  /** Records who paid (the claim was written as INSUFFICIENT_CREDITS and stays so when nobody could). */
  public void charged(Handle h, Charge c, Subject subject, String subjectId, long balanceAfter) {
    int updated = h.createUpdate("""
            UPDATE credit_operations
            SET outcome = 'CHARGED', charged_subject_type = :type, charged_subject_id = :id, balance_after = :after
            WHERE source_service = :sourceService AND processing_id = :processingId AND metric = :metric
            """)
        .bindMethods(c)
        .bind("type", subject.column)
        .bind("id", subjectId)
        .bind("after", balanceAfter)
        .execute();
    if (updated != 1) {
      throw new IllegalStateException("credit operation " + c.processingId() + "/" + c.metric() + " vanished");
    }
  }

  /** The operation already recorded for the charge's business key. */
  public Optional<Operation> existing(Handle h, Charge c) {
    return h.createQuery("""
            SELECT source_service, processing_id, metric, event_id, cost, outcome, charged_subject_type,
                   charged_subject_id, balance_after
            FROM credit_operations
            WHERE source_service = :sourceService AND processing_id = :processingId AND metric = :metric
            """)
        .bindMethods(c)
        .map((rs, ctx) -> operation(rs))
        .findOne();
  }

  /** Sets a subject's balance (an operator's grant; tests). */
  public void setBalance(Handle h, Subject subject, String subjectId, long balance) {
    h.createUpdate("""
            INSERT INTO credit_balances (subject_type, subject_id, balance) VALUES (:type, :id, :balance)
            ON CONFLICT (subject_type, subject_id) DO UPDATE SET balance = EXCLUDED.balance, updated_at = now()
            """)
        .bind("type", subject.column)
        .bind("id", subjectId)
        .bind("balance", balance)
        .execute();
  }

  /** Gives a subject seen for the first time an opening balance; an existing balance is left alone. */
  public void open(Handle h, Subject subject, String subjectId, long balance) {
    h.createUpdate("""
            INSERT INTO credit_balances (subject_type, subject_id, balance) VALUES (:type, :id, :balance)
            ON CONFLICT (subject_type, subject_id) DO NOTHING
            """)
        .bind("type", subject.column)
        .bind("id", subjectId)
        .bind("balance", balance)
        .execute();
  }

  public Optional<Long> balance(Handle h, Subject subject, String subjectId) {
    return h.createQuery("SELECT balance FROM credit_balances WHERE subject_type = :type AND subject_id = :id")
        .bind("type", subject.column)
        .bind("id", subjectId)
        .mapTo(Long.class)
        .findOne();
  }

  public List<Operation> operations(Handle h) {
    return h.createQuery("""
            SELECT source_service, processing_id, metric, event_id, cost, outcome, charged_subject_type,
                   charged_subject_id, balance_after
            FROM credit_operations ORDER BY id
            """)
        .map((rs, ctx) -> operation(rs))
        .list();
  }

  private static Operation operation(java.sql.ResultSet rs) throws java.sql.SQLException {
    long after = rs.getLong("balance_after");
    Long balanceAfter = rs.wasNull() ? null : after;
    return new Operation(rs.getString("source_service"), rs.getString("processing_id"), rs.getString("metric"),
        rs.getString("event_id"), rs.getLong("cost"), rs.getString("outcome"), rs.getString("charged_subject_type"),
        rs.getString("charged_subject_id"), balanceAfter);
  }
}
