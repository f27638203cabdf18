package org.cjassessment.consumers;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cjassessment.consumers.credits.CreditStore;
import org.cjassessment.consumers.credits.CreditsLedger;
import org.cjassessment.inbox.Inbox;
import org.cjassessment.inbox.InboxRecord;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real concurrent transactions on one balance: the conditional debit never overdraws and never loses an update,
 * and racing logical duplicates of one job charge once. (A SELECT-then-UPDATE debit, as upstream, fails both.)
 */
@ExtendWith(SharedInfrastructure.class)
class CreditsLedgerConcurrencyTest {

  private static InboxRecord record(String eventId, String json) {
    return new InboxRecord("consumption", 0, 0, null, json.getBytes(UTF_8), Map.of(), eventId, "");
  }

  private static int race(ConsumerFixture f, List<InboxRecord> records) throws Exception {
    CreditsLedger ledger = new CreditsLedger(new CreditStore(), CreditsLedger.defaultPrices(), 0);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (InboxRecord r : records) {
      done.add(pool.submit(() -> {
        start.await();
        f.jdbi.useTransaction(h -> {
          if (Inbox.firstDelivery(h, CreditsLedger.NAME, r.eventId())) {
            ledger.handle(h, r);
          }
        });
        return null;
      }));
    }
    start.countDown();
    for (Future<?> d : done) {
      d.get();
    }
    pool.shutdown();
    return records.size();
  }

  @Test
  void concurrentChargesOnOneBalanceNeverOverdrawIt() throws Exception {
    try (ConsumerFixture f = new ConsumerFixture(1)) {
      f.grant("user", "t-race", 100);
      List<InboxRecord> jobs = new ArrayList<>();
      for (int i = 0; i < 32; i++) { // 32 jobs of 10 credits against 100
        jobs.add(record("e" + i, Events.consumption("e" + i, "job-" + i, "t-race", null, 10)));
      }
      race(f, jobs);
      assertThat(f.balance("user", "t-race")).isZero();
      assertThat(f.count("SELECT count(*) FROM credit_operations WHERE outcome = 'CHARGED'")).isEqualTo(10);
      assertThat(f.count("SELECT count(*) FROM credit_operations WHERE outcome = 'INSUFFICIENT_CREDITS'"))
          .isEqualTo(22);
    }
  }

  @Test
  void racingLogicalDuplicatesOfOneJobChargeOnce() throws Exception {
    try (ConsumerFixture f = new ConsumerFixture(1)) {
      f.grant("org", "school-race", 1000);
      List<InboxRecord> copies = new ArrayList<>();
      for (int i = 0; i < 16; i++) { // one consumption, sixteen event ids
        copies.add(record("copy-" + i, Events.consumption("copy-" + i, "job-x", "t-1", "school-race", 24)));
      }
      race(f, copies);
      assertThat(f.balance("org", "school-race")).isEqualTo(1000 - 24);
      assertThat(f.count("SELECT count(*) FROM credit_operations")).isEqualTo(1);
    }
  }
}
