package org.cjassessment.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfrastructure.class)
class RelayQueriesTest {

  /**
   * The plan, not a timing: with statistics taken while the table was empty (as after a burst that autovacuum has
   * not caught up with), the claim must still walk the PENDING index in id order and stop early, instead of reading
   * and sorting the whole backlog (which took seconds per claim in the benchmark before the planner settings).
   */
  @Test
  void the_claim_walks_the_pending_index_in_id_order_even_with_stale_statistics() {
    OutboxFixture fixture = OutboxFixture.create();
    fixture.execute("ALTER TABLE outbox SET (autovacuum_enabled = false)");
    fixture.execute("ANALYZE outbox");
    fixture.execute(
        """
        INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, topic, message_key, correlation_id,
                            payload, headers, status, published_at)
        SELECT gen_random_uuid(), 'cj_batch', 'b' || (g % 100), 'type', 'topic', 'b' || (g % 100), 'c',
               '\\x00'::bytea, '{"source_service":"s","schema_version":"1","content_type":"j"}',
               CASE WHEN g <= 5000 THEN 'PUBLISHED' ELSE 'PENDING' END,
               CASE WHEN g <= 5000 THEN now() END
          FROM generate_series(1, 10000) AS g
        """);

    List<String> plan = fixture.jdbi.inTransaction(tx -> {
      tx.createQuery(RelayQueries.START_CLAIM).bind("window", 200).mapToMap().one();
      return tx.createQuery("EXPLAIN " + RelayQueries.CLAIM)
          .bind("now", RelayQueries.timestamp(Instant.now()))
          .bind("beyondWindow", Long.MAX_VALUE)
          .bind("limit", 100)
          .mapTo(String.class)
          .list();
    });

    String text = String.join("\n", plan);
    assertThat(text).contains("Nested Loop Anti Join")
        .contains("Index Scan using outbox_pending_idx on outbox o")
        .contains("Index Scan using outbox_pending_key_idx on outbox earlier")
        .contains("Index Cond: ((topic = o.topic) AND (message_key = o.message_key) AND (id < o.id))")
        .doesNotContain("Seq Scan")
        .doesNotContain("Bitmap Heap Scan on outbox o")
        .doesNotContain("Hash")
        .doesNotContain("Sort");
  }

  @Test
  void the_claim_returns_at_most_one_row_per_topic_and_key_and_reports_successors() {
    OutboxFixture fixture = OutboxFixture.create();
    OutboxMessage a1 = OutboxFixture.message("topic-1", "a", "1");
    OutboxMessage a2 = OutboxFixture.message("topic-1", "a", "2");
    OutboxMessage b1 = OutboxFixture.message("topic-1", "b", "1");
    OutboxMessage aOnOtherTopic = OutboxFixture.message("topic-2", "a", "1");
    List.of(a1, a2, b1, aOnOtherTopic).forEach(fixture::append);

    List<ClaimedRow> claimed = fixture.jdbi.inTransaction(tx -> RelayQueries.claim(tx, Instant.now(), 100, 200));

    assertThat(claimed).extracting(ClaimedRow::eventId)
        .containsExactly(a1.eventId(), b1.eventId(), aOnOtherTopic.eventId());
    assertThat(claimed).extracting(ClaimedRow::hasSuccessor).containsExactly(true, false, false);
    assertThat(claimed.get(0).headers())
        .containsEntry("source_service", "cj_assessment_service")
        .containsEntry("schema_version", "1")
        .containsEntry("content_type", "application/json")
        .hasSize(3);
  }

  @Test
  void heads_past_a_window_filled_by_one_keys_backlog_are_claimed_too() {
    OutboxFixture fixture = OutboxFixture.create();
    List<OutboxMessage> hot =
        IntStream.range(0, 10).mapToObj(i -> OutboxFixture.message("topic-1", "hot", "h" + i)).toList();
    hot.forEach(fixture::append);
    OutboxMessage other = OutboxFixture.message("topic-1", "other", "o");
    OutboxMessage waiting = OutboxFixture.message("topic-1", "waiting", "w");
    fixture.append(other);
    fixture.append(waiting);
    fixture.execute("UPDATE outbox SET attempts = 1, next_attempt_at = now() + interval '1 hour' WHERE event_id = '"
        + waiting.eventId() + "'");

    // window of 4: hot#0..hot#3, of which only hot#0 is claimable; "other" lies past the window
    List<ClaimedRow> claimed = fixture.jdbi.inTransaction(tx -> RelayQueries.claim(tx, Instant.now(), 3, 4));

    assertThat(claimed).extracting(ClaimedRow::eventId).containsExactly(hot.get(0).eventId(), other.eventId());
    assertThat(claimed).extracting(ClaimedRow::hasSuccessor).containsExactly(true, false);
  }

  @Test
  void the_heads_scan_skips_from_key_to_key_through_the_per_key_index() {
    OutboxFixture fixture = OutboxFixture.create();
    List<String> plan = fixture.jdbi.inTransaction(tx -> {
      tx.createQuery(RelayQueries.START_CLAIM).bind("window", 200).mapToMap().one();
      return tx.createQuery("EXPLAIN " + RelayQueries.HEADS_BEYOND_WINDOW)
          .bind("beyondWindow", 0L)
          .bind("now", RelayQueries.timestamp(Instant.now()))
          .bind("limit", 100)
          .mapTo(String.class)
          .list();
    });
    String text = String.join("\n", plan);
    assertThat(text).contains("Recursive Union")
        .contains("Index Scan using outbox_pending_key_idx on outbox")
        .contains("Index Cond: (ROW(topic, message_key) > ROW(")
        .doesNotContain("Seq Scan");
  }
}
