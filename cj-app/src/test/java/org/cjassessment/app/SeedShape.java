package org.cjassessment.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.cjassessment.outbox.OutboxSchema;
import org.jdbi.v3.core.Jdbi;

/**
 * The seed's validation data (seeds/cj-completion-event-idempotency-task.md, reference §5): 25 batches, 119
 * completion events; batch 2f8dc826-… with 83 events from 18:59:43.007 to 18:59:49.002 (gaps of 54–56 ms with a
 * slower gap every few events), test-batch-123 with 13 events over about six days, and 23 batches with one event.
 * The last 10 events of the worst batch and 2 of test-batch-123 are still unpublished, as is one single event.
 */
final class SeedShape {

  static final String COMPLETED = "huleedu.cj_assessment.completed.v1";
  static final String WORST = "2f8dc826-d6c6-4d5b-b9d2-1ed94fb47a50";
  static final String SPREAD = "test-batch-123";

  record Event(String aggregateId, Instant createdAt, boolean published) {}

  private SeedShape() {}

  static List<Event> events() {
    List<Event> events = new ArrayList<>();
    // 82 gaps summing to 5,995 ms: 67 at 54/55/56 ms and 15 slower ones (14 x 154 + 155) every fifth or so.
    Instant t = Instant.parse("2025-11-15T18:59:43.007Z");
    int small = 0;
    int large = 0;
    for (int i = 0; i < 83; i++) {
      events.add(new Event(WORST, t, i < 73));
      if (i == 82) {
        break;
      }
      boolean slow = (i % 5 == 4 && large < 15) || small == 67;
      long gap = slow ? (large++ == 14 ? 155 : 154) : 54 + (small++ % 3);
      t = t.plusMillis(gap);
    }
    if (!t.equals(Instant.parse("2025-11-15T18:59:49.002Z")) || small != 67 || large != 15) {
      throw new IllegalStateException("seed shape arithmetic: " + t + " " + small + " " + large);
    }
    Instant start = Instant.parse("2025-11-15T12:01:16Z");
    Duration step = Duration.between(start, Instant.parse("2025-11-21T11:49:52Z")).dividedBy(12);
    for (int i = 0; i < 13; i++) {
      events.add(new Event(SPREAD, start.plus(step.multipliedBy(i)), i < 11));
    }
    for (int i = 0; i < 23; i++) {
      events.add(new Event("batch-" + (i + 1), Instant.parse("2025-11-10T09:00:00Z").plus(Duration.ofHours(i)),
          i != 0));
    }
    return events;
  }

  /** The upstream event_outbox table as reference §1.1 describes it, filled with the seed's rows. */
  static void upstream(Jdbi jdbi) {
    jdbi.useHandle(h -> {
      h.execute("""
          CREATE TABLE event_outbox (
              id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
              aggregate_id varchar(255) NOT NULL, aggregate_type varchar(100) NOT NULL,
              event_type varchar(255) NOT NULL, event_data json NOT NULL, event_key varchar(255),
              topic varchar(255) NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
              published_at timestamptz, retry_count int NOT NULL DEFAULT 0, last_error text)
          """);
      var batch = h.prepareBatch("""
          INSERT INTO event_outbox (aggregate_id, aggregate_type, event_type, event_data, event_key, topic,
                                    created_at, published_at)
          VALUES (:a, 'cj_batch', :t, CAST('{}' AS json), :a, :t, :c, :p)
          """);
      for (Event e : events()) {
        batch.bind("a", e.aggregateId()).bind("t", COMPLETED).bind("c", e.createdAt())
            .bind("p", e.published() ? e.createdAt().plusMillis(20) : null).add();
      }
      // other event types do not count as completion events
      batch.bind("a", WORST).bind("t", "huleedu.resource.consumption.v1").bind("c", Instant.now())
          .bind("p", (Instant) null).add();
      batch.execute();
    });
  }

  /** Our outbox table (cj-outbox's migration) with the same rows: distinct event ids, as logical duplicates. */
  static void nativeOutbox(Jdbi jdbi, javax.sql.DataSource dataSource) {
    OutboxSchema.migrate(dataSource);
    jdbi.useHandle(h -> {
      var batch = h.prepareBatch("""
          INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, topic, message_key, correlation_id,
                              payload, status, created_at, published_at)
          VALUES (:id, 'cj_batch', :a, :t, :t, :a, 'c', CAST('{}' AS bytea), :s, :c, :p)
          """);
      for (Event e : events()) {
        batch.bind("id", UUID.randomUUID()).bind("a", e.aggregateId()).bind("t", COMPLETED).bind("c", e.createdAt())
            .bind("s", e.published() ? "PUBLISHED" : "PENDING")
            .bind("p", e.published() ? e.createdAt().plusMillis(20) : null).add();
      }
      batch.execute();
    });
  }
}
