package org.cjassessment.outbox;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes "about to send" markers ({@code outbox_sends}) on a connection of its own, in auto-commit, so that each
 * marker is committed before its record leaves for the broker, whatever happens to the round's transaction.
 * Publisher thread only; the connection is kept between rounds and replaced after a failure.
 */
final class SendLog implements AutoCloseable {

  private final Jdbi jdbi;
  private Handle handle;

  SendLog(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Commits a marker for each row (the first send's time is kept, the latest send's time and attempt count are
   * updated). Throws if the database does not take it: the round must then fail before sending anything.
   */
  void aboutToSend(List<ClaimedRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    try {
      if (handle == null) {
        handle = jdbi.open();
      }
      RelayQueries.recordSends(handle, rows);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public void close() {
    if (handle != null) {
      Handle h = handle;
      handle = null;
      try {
        h.close();
      } catch (RuntimeException ignored) {
        // a broken connection: nothing to keep
      }
    }
  }
}
