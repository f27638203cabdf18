package org.cjassessment.service;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;
import org.cjassessment.service.intake.ContentUnavailableException;

/**
 * Tells a failure that the same work may survive if tried again (a transient fault of the database, the broker or
 * the content store) from one that every retry will hit again (the input itself, or a bug). The consumers, the
 * advancer and the monitor all ask this one class, so "retry" and "give up on this record or batch" mean the same
 * everywhere:
 * <ul>
 *   <li>{@link Kind#TRANSIENT} — retry the same work later, never fail a batch or dead-letter a record for it;</li>
 *   <li>{@link Kind#PERMANENT} — isolate it: dead-letter the record, fail the batch with PROCESSING_ERROR.</li>
 * </ul>
 *
 * <p>For PostgreSQL the SQLSTATE decides. Only the classes whose cause is the data itself are permanent: 22 (data
 * exception: a NUL byte, a timestamp out of range), 23 (integrity constraint) and 54 (program limit: a key too large
 * for an index). Every other state is retried, on purpose: 40001/40P01 (serialization failure, deadlock), 55P03
 * (lock not available), 57014 (statement timeout or cancel), 08 (connection lost), 57P01..03 (administrator or
 * crash shutdown, cannot connect now) and 53 (out of disk, memory or connections) are transient by definition, and
 * states that mean the deployment is broken (42 undefined table, 28 authentication) would be a disaster to treat as
 * permanent: every record would be dead-lettered and every batch failed, where retrying only stalls until an
 * operator fixes the deployment.
 */
public final class Failures {

  /** What to do about a failure. */
  public enum Kind {
    TRANSIENT,
    PERMANENT
  }

  /** SQLSTATE classes (first two characters) whose errors come from the data and recur on every retry. */
  private static final Set<String> DATA_CLASSES = Set.of("22", "23", "54");

  private Failures() {}

  public static Kind classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql) {
        return classify(sql);
      }
      if (t instanceof RetriableException || t instanceof org.apache.kafka.common.errors.TimeoutException) {
        return Kind.TRANSIENT;
      }
      if (t instanceof ContentUnavailableException c) {
        return c.transientFailure() ? Kind.TRANSIENT : Kind.PERMANENT;
      }
      if (t instanceof ConnectException || t instanceof SocketException || t instanceof InterruptedException) {
        return Kind.TRANSIENT;
      }
      if (t instanceof Transient) {
        return Kind.TRANSIENT;
      }
    }
    return Kind.PERMANENT;
  }

  public static boolean isTransient(Throwable failure) {
    return classify(failure) == Kind.TRANSIENT;
  }

  /** The SQLSTATE of the first SQL exception in the cause chain, or null. */
  public static String sqlState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }

  /**
   * One line for a dead-letter header or a failure detail, without any input text: for a database error the
   * SQLSTATE only (PostgreSQL quotes the offending value in some class-22 messages: an essay's text must never be
   * repeated), otherwise the exception's type and the first line of its message (our own messages never quote
   * input).
   */
  public static String describe(Throwable failure) {
    String state = sqlState(failure);
    if (state != null) {
      return "the database refused it with SQLSTATE " + state + " (" + condition(state) + ")";
    }
    Throwable root = failure;
    String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
    if (message.length() > 200) {
      message = message.substring(0, 200) + "…";
    }
    return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }

  private static Kind classify(SQLException sql) {
    if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException) {
      return Kind.TRANSIENT; // e.g. Hikari's SQLTransientConnectionException (pool exhausted or database down)
    }
    String state = sql.getSQLState();
    if (state == null || state.length() < 2) {
      return Kind.TRANSIENT; // no state: the driver lost the connection before the server could answer
    }
    return DATA_CLASSES.contains(state.substring(0, 2)) ? Kind.PERMANENT : Kind.TRANSIENT;
  }

  private static String condition(String state) {
    return switch (state) {
      case "22021" -> "character not in repertoire, e.g. a NUL byte";
      case "22P05" -> "untranslatable character";
      case "22007" -> "invalid datetime format";
      case "22008" -> "datetime field overflow";
      case "22009" -> "invalid time zone displacement value";
      case "22001" -> "string data right truncation";
      case "22003" -> "numeric value out of range";
      case "22023" -> "invalid parameter value";
      case "22P02" -> "invalid text representation";
      case "23505" -> "unique violation";
      case "23514" -> "check violation";
      case "23502" -> "not null violation";
      case "23503" -> "foreign key violation";
      case "54000" -> "program limit exceeded, e.g. a key too large for an index";
      default -> switch (state.substring(0, 2)) {
        case "22" -> "data exception";
        case "23" -> "integrity constraint violation";
        case "54" -> "program limit exceeded";
        default -> "see the PostgreSQL error codes";
      };
    };
  }

  /** Marks an exception of ours as transient (e.g. the dead-letter topic could not be reached). */
  public interface Transient {}
}
