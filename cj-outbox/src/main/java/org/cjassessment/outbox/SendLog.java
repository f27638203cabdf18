package org.cjassessment.outbox;

import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes "about to send" markers ({@code outbox_sends}) on a connection of its own, in auto-commit, so that each
 * marker is committed before its record leaves for the broker, whatever happens to the round's transaction.
 * Publisher thread only; the connection is kept between rounds and replaced after a failure.
 *
 * <p>With {@code synchronous_commit = off} (for the marker statement's own transaction only, see
 * {@code RelayQueries.BEGIN_SENDS}): the commit returns without waiting for the WAL
 * flush, so on a server with durable commits a fresh row's first send pays one round trip, not a second WAL flush
 * per round (not measured here: the embedded test server runs with {@code synchronous_commit = off} for every
 * transaction, zonky's default). What that gives up is narrow: the
 * marker is visible to every session at once and survives the relay's death and a clean database stop; only a crash
 * of the PostgreSQL server itself, before the WAL writer (every {@code wal_writer_delay}, 200 ms) or any later
 * flushed commit (the round's own PUBLISHED commit is one) wrote it, loses it — and then the row is sent again, as
 * it always was: at least once, never lost.
 */
final class SendLog implements AutoCloseable {

  private final Jdbi jdbi;
  private Handle handle;

  SendLog(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Commits a marker for each row except those whose earlier send is still in flight (see
   * {@link RelayQueries#beginSends}), and returns the rows with what was known about their earlier sends. Throws if
   * the database does not answer: the round must then fail before sending anything.
   */
  List<ClaimedRow> begin(List<ClaimedRow> rows, Duration inFlightGrace) {
    try {
      if (handle == null) {
        handle = jdbi.open();
      }
      return RelayQueries.beginSends(handle, rows, inFlightGrace);
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
