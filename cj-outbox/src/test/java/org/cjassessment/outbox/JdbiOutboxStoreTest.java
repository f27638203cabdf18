package org.cjassessment.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cjassessment.testing.SharedInfrastructure;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

@ExtendWith(SharedInfrastructure.class)
class JdbiOutboxStoreTest {

  private static OutboxFixture fixture;

  @BeforeAll
  static void database() {
    fixture = OutboxFixture.create();
  }

  @Test
  void append_in_a_rolled_back_transaction_leaves_nothing() {
    OutboxMessage message = OutboxFixture.message("t.rollback", "k", "essay");
    AtomicInteger fired = new AtomicInteger();
    JdbiOutboxStore store = new JdbiOutboxStore();
    store.onAppendCommitted(fired::incrementAndGet);

    try (Handle h = fixture.jdbi.open()) {
      h.begin();
      assertThat(store.append(h, message)).isTrue();
      h.rollback();
    }

    assertThat(countOf(message)).isZero();
    assertThat(fired).hasValue(0);
  }

  @Test
  void a_second_append_of_the_same_event_is_a_no_op_that_returns_false() {
    OutboxMessage message = OutboxFixture.message("t.dup", "k", "essay");
    AtomicInteger fired = new AtomicInteger();
    JdbiOutboxStore store = new JdbiOutboxStore();
    store.onAppendCommitted(fired::incrementAndGet);

    assertThat(appendCommitted(store, message)).isTrue();
    assertThat(appendCommitted(store, message)).isFalse();
    // also after it was published: the constraint is not partial
    fixture.execute("UPDATE outbox SET status = 'PUBLISHED', published_at = now() WHERE event_id = '"
        + message.eventId() + "'");
    assertThat(appendCommitted(store, message)).isFalse();

    assertThat(countOf(message)).isEqualTo(1);
    assertThat(fired).hasValue(1);
  }

  @Test
  void concurrent_appends_of_one_event_from_eight_threads_insert_exactly_one_row() throws Exception {
    OutboxMessage message = OutboxFixture.message("t.race", "k", "essay");
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> fixture.jdbi.inTransaction(h -> {
          h.execute("SELECT 1"); // connection open and transaction begun before the race starts
          ready.countDown();
          go.await();
          return fixture.store.append(h, message);
        })));
      }
      assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      long inserted = 0;
      for (Future<Boolean> result : results) {
        inserted += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(inserted).isEqualTo(1);
      assertThat(countOf(message)).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void the_notify_is_delivered_when_the_append_commits_not_before() throws Exception {
    OutboxMessage message = OutboxFixture.message("t.notify", "k", "essay");
    try (Connection listening = fixture.dataSource.getConnection();
        Handle appending = fixture.jdbi.open()) {
      try (Statement s = listening.createStatement()) {
        s.execute("LISTEN " + OutboxSchema.CHANNEL);
      }
      PGConnection pg = listening.unwrap(PGConnection.class);

      appending.begin();
      fixture.store.append(appending, message);
      assertThat(pg.getNotifications(200)).isNullOrEmpty();
      appending.commit();

      PGNotification[] notifications = pg.getNotifications(5_000);
      assertThat(notifications).isNotEmpty();
      assertThat(notifications[0].getName()).isEqualTo(OutboxSchema.CHANNEL);
    }
  }

  @Test
  void a_failing_append_never_quotes_the_payload() {
    // a host-side rule the append violates, so the server reports the failing row (payload included) in its detail
    fixture.execute(
        "ALTER TABLE outbox ADD CONSTRAINT test_reject_type CHECK (event_type <> 'test.rejected') NOT VALID");
    String essay = "Hamlet hesitates because he doubts the ghost";
    OutboxMessage base = OutboxFixture.message("t.reject", "k", essay);
    OutboxMessage rejected = new OutboxMessage(base.eventId(), base.aggregateType(), base.aggregateId(),
        "test.rejected", base.topic(), base.key(), base.correlationId(), base.payload(), base.headers());
    try {
      assertThatThrownBy(() -> fixture.append(rejected))
          .isInstanceOf(OutboxException.class)
          .hasMessageContaining(rejected.eventId().toString())
          .hasMessageContaining("SQLState 23514")
          .hasMessageContaining("test_reject_type")
          .satisfies(e -> assertThat(e.getMessage())
              .doesNotContain("Hamlet")
              .doesNotContainIgnoringCase(HexFormat.of().formatHex(essay.getBytes(UTF_8)).substring(0, 16)))
          // the cause carries the SQL state alone (callers tell transient from permanent by it), never the row
          .cause().isInstanceOf(java.sql.SQLException.class).hasNoCause().hasMessageNotContaining("Hamlet")
          .satisfies(c -> assertThat(((java.sql.SQLException) c).getSQLState()).isEqualTo("23514"));
    } finally {
      fixture.execute("ALTER TABLE outbox DROP CONSTRAINT test_reject_type");
    }
  }

  @Test
  void an_append_outside_a_transaction_commits_and_fires_at_once() {
    OutboxMessage message = OutboxFixture.message("t.autocommit", "k", "essay");
    AtomicInteger fired = new AtomicInteger();
    JdbiOutboxStore store = new JdbiOutboxStore();
    store.onAppendCommitted(fired::incrementAndGet);

    assertThat(appendAutoCommit(store, message)).isTrue();

    assertThat(countOf(message)).isEqualTo(1);
    assertThat(fired).hasValue(1);
  }

  private static boolean appendCommitted(JdbiOutboxStore store, OutboxMessage message) {
    return fixture.jdbi.inTransaction(h -> store.append(h, message));
  }

  private static boolean appendAutoCommit(JdbiOutboxStore store, OutboxMessage message) {
    return fixture.jdbi.withHandle(h -> store.append(h, message));
  }

  private static long countOf(OutboxMessage message) {
    return fixture.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM outbox WHERE event_id = :id")
        .bind("id", message.eventId()).mapTo(Long.class).one());
  }
}
