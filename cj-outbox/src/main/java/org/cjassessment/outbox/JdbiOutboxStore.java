package org.cjassessment.outbox;

import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * {@link OutboxStore} on PostgreSQL through the caller's Jdbi {@link Handle}.
 *
 * <p>One round trip per append: the insert and the {@code pg_notify} that wakes relays (delivered by PostgreSQL only
 * when the transaction commits) are one statement. Listeners registered with {@link #onAppendCommitted} run after
 * the caller's Jdbi commit, for a relay in the same process; they are skipped on rollback.
 */
public final class JdbiOutboxStore implements OutboxStore {

  // ON CONFLICT DO NOTHING against the full unique constraint: a repeated append is a no-op, even after the first
  // row was published. pg_notify runs once per inserted row, i.e. never for a duplicate.
  private static final String APPEND =
      """
      WITH inserted AS (
        INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, topic, message_key,
                            correlation_id, payload, headers)
        VALUES (:eventId, :aggregateType, :aggregateId, :eventType, :topic, :key,
                :correlationId, :payload, jsonb_object(CAST(:headerNames AS text[]), CAST(:headerValues AS text[])))
        ON CONFLICT (event_id) DO NOTHING
        RETURNING id)
      SELECT id, pg_notify('%s', '') IS NULL AS notified FROM inserted
      """
          .formatted(OutboxSchema.CHANNEL);

  private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();

  @Override
  public boolean append(Handle handle, OutboxMessage message) {
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(message, "message");
    List<String> names = List.copyOf(message.headers().keySet());
    List<String> values = names.stream().map(message.headers()::get).toList();
    boolean inserted;
    try {
      inserted =
          handle
              .createQuery(APPEND)
              // bound values include the payload: never render them into an exception message
              .configure(StatementExceptions.class,
                  c -> c.setMessageRendering(StatementExceptions.MessageRendering.NONE))
              .bind("eventId", message.eventId())
              .bind("aggregateType", message.aggregateType())
              .bind("aggregateId", message.aggregateId())
              .bind("eventType", message.eventType())
              .bind("topic", message.topic())
              .bind("key", message.key())
              .bind("correlationId", message.correlationId())
              .bind("payload", message.payload())
              .bindArray("headerNames", String.class, names)
              .bindArray("headerValues", String.class, values)
              .mapTo(Long.class)
              .findOne()
              .isPresent();
    } catch (StatementException e) {
      throw sanitized(message, e);
    }
    if (inserted && !commitListeners.isEmpty()) {
      if (handle.isInTransaction()) {
        handle.afterCommit(this::fireCommitListeners);
      } else {
        fireCommitListeners();
      }
    }
    return inserted;
  }

  /**
   * Runs {@code listener} after every committed append made through this store (typically {@code relay::wake}).
   * Listeners must be fast and must not throw; they run on the committing thread.
   */
  public void onAppendCommitted(Runnable listener) {
    commitListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void fireCommitListeners() {
    for (Runnable listener : commitListeners) {
      listener.run();
    }
  }

  /**
   * The server's error detail can echo the failing row ("Failing row contains (...)"), payload included, and the
   * driver puts it into the exception message by default. Keep only the SQL state, the primary message and the
   * constraint name. The cause becomes a bare {@link SQLException} with the SQL state alone, so that callers can
   * still tell a transient failure (a cancelled statement, a lost connection, a deadlock) from a permanent one by
   * SQLSTATE, which the original cause chain would have told them but at the price of the payload.
   */
  private static OutboxException sanitized(OutboxMessage message, StatementException e) {
    String what = "SQLException";
    String state = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
        ServerErrorMessage server = psql.getServerErrorMessage();
        state = server.getSQLState();
        what = "SQLState " + server.getSQLState() + ": " + server.getMessage()
            + (server.getConstraint() != null ? " (constraint " + server.getConstraint() + ")" : "");
        break;
      }
      if (t instanceof SQLException sql) {
        state = sql.getSQLState();
        what = "SQLState " + sql.getSQLState() + ": " + sql.getClass().getSimpleName();
        break;
      }
    }
    return new OutboxException(
        "Could not append event_id " + message.eventId() + " (event_type " + message.eventType() + ", topic "
            + message.topic() + ") to the outbox: " + what
            + ". The caller's transaction must be rolled back; the original cause is omitted because the server's"
            + " detail may quote the payload.",
        new SQLException("outbox append failed with SQLSTATE " + state, state));
  }
}
