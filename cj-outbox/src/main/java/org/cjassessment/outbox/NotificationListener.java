package org.cjassessment.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on {@link OutboxSchema#CHANNEL} through a dedicated connection and wakes the relay on every notification.
 * PostgreSQL delivers a NOTIFY only when the appending transaction commits, which is exactly when the row becomes
 * visible to the relay. If the connection breaks, the relay keeps working on its poll interval while this reconnects.
 */
final class NotificationListener implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

  // short enough that close() is prompt and a dead connection is noticed; a notification ends the wait at once
  private static final int RECEIVE_TIMEOUT_MILLIS = 250;

  private final DataSource dataSource;
  private final WakeSignal signal;
  private final Duration maxReconnectDelay;
  private final String relayName;
  private final CountDownLatch stopped = new CountDownLatch(1);

  NotificationListener(DataSource dataSource, WakeSignal signal, Duration maxReconnectDelay, String relayName) {
    this.dataSource = dataSource;
    this.signal = signal;
    this.maxReconnectDelay = maxReconnectDelay;
    this.relayName = relayName;
  }

  @Override
  public void run() {
    long reconnectMillis = 100;
    while (stopped.getCount() > 0) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement statement = c.createStatement()) {
          statement.execute("LISTEN " + OutboxSchema.CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        if (reconnectMillis > 100) {
          log.info("{}: LISTEN {} re-established; wake-ups are immediate again", relayName, OutboxSchema.CHANNEL);
        }
        reconnectMillis = 100;
        signal.wake(); // rows committed while we were not listening
        while (stopped.getCount() > 0) {
          PGNotification[] notifications = pg.getNotifications(RECEIVE_TIMEOUT_MILLIS);
          if (notifications != null && notifications.length > 0) {
            signal.wake();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (stopped.getCount() == 0) {
          return;
        }
        log.warn(
            "{}: LISTEN {} connection failed ({}: {}); the relay falls back to polling; reconnecting in {} ms",
            relayName, OutboxSchema.CHANNEL, e.getClass().getSimpleName(), e.getMessage(), reconnectMillis);
        try {
          if (stopped.await(reconnectMillis, TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        reconnectMillis = Math.min(reconnectMillis * 2, Math.max(100, maxReconnectDelay.toMillis()));
      }
    }
  }

  /** Stops the loop within one receive timeout. */
  void stop() {
    stopped.countDown();
  }
}
