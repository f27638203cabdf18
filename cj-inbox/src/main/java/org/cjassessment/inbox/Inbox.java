package org.cjassessment.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;

/**
 * The processed-event table and its statements. {@link InboxConsumer} is the Kafka loop built on it; a service that
 * runs its own loop (cj-service's callback consumer applies a whole poll in one transaction) calls these directly.
 *
 * <p>Idempotent consumption: {@link #firstDelivery} records that a consumer has processed an event, inside the
 * caller's transaction. It returns false for a redelivery, so the caller skips the effect; because the row and the
 * effect commit together, "processed" can never be recorded without the effect or the other way round.
 */
public final class Inbox {

  private Inbox() {}

  /** Creates or upgrades the inbox table, with its own Flyway history so it composes with the host's schema. */
  public static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration/cj_inbox")
        .table("cj_inbox_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }

  /** True the first time {@code consumer} sees {@code eventId} (in this transaction's view), false afterwards. */
  public static boolean firstDelivery(Handle handle, String consumer, String eventId) {
    return handle.createUpdate("""
            INSERT INTO processed_events (consumer, event_id) VALUES (:consumer, :eventId)
            ON CONFLICT (consumer, event_id) DO NOTHING
            """)
        .bind("consumer", consumer)
        .bind("eventId", eventId)
        .execute() == 1;
  }

  /**
   * The set form of {@link #firstDelivery}, one statement for a whole poll: records every id and returns those seen
   * for the first time (an id repeated within {@code eventIds} is returned once).
   */
  public static Set<String> firstDeliveries(Handle handle, String consumer, Collection<String> eventIds) {
    if (eventIds.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(handle.createQuery("""
            INSERT INTO processed_events (consumer, event_id)
            SELECT :consumer, unnest(CAST(:ids AS text[]))
            ON CONFLICT (consumer, event_id) DO NOTHING
            RETURNING event_id
            """)
        .bind("consumer", consumer)
        .bindArray("ids", String.class, List.copyOf(eventIds))
        .mapTo(String.class)
        .list());
  }

  /** Forgets {@code consumer}'s dedupe rows older than {@code age}: after the topics' retention no redelivery comes. */
  public static int purgeOlderThan(Handle handle, String consumer, Duration age, Instant now) {
    return handle.createUpdate("DELETE FROM processed_events WHERE consumer = :consumer AND processed_at < :cutoff")
        .bind("consumer", consumer)
        .bind("cutoff", now.minus(age))
        .execute();
  }

  /** Forgets every consumer's dedupe rows older than {@code age}. */
  public static int purgeOlderThan(Handle handle, Duration age, Instant now) {
    return handle.createUpdate("DELETE FROM processed_events WHERE processed_at < :cutoff")
        .bind("cutoff", now.minus(age))
        .execute();
  }
}
