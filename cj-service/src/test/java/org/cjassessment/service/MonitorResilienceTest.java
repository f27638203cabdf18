package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.cjassessment.service.monitor.BatchMonitor;
import org.cjassessment.service.monitor.MonitorSchedule;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The monitor survives anything one batch does, and anything one sweep throws; a monitor that stopped finishing
 * sweeps is visible (readiness).
 */
@ExtendWith(SharedInfrastructure.class)
class MonitorResilienceTest {

  @Test
  void aBatchThatCannotBeAdvancedDoesNotKeepTheSweepFromTheOthers() {
    try (ServiceHarness service = new ServiceHarness()) {
      long blocked = service.submit("blocked-" + UUID.randomUUID(), 6, Map.of(), 6); // lower id: swept first
      long healthy = service.submit("healthy-" + UUID.randomUUID(), 6, Map.of(), 6);
      service.answerPending(blocked, new Random(1));
      service.answerPending(healthy, new Random(2));
      // Every attempt to write the blocked batch's next wave fails (here: lock_not_available, as a lock timeout).
      service.jdbi.useHandle(h -> h.execute("""
          CREATE FUNCTION test_refuse_wave() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.batch_id = %d THEN RAISE EXCEPTION 'lock timeout' USING ERRCODE = '55P03'; END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER test_refuse_wave BEFORE INSERT ON comparisons FOR EACH ROW EXECUTE FUNCTION test_refuse_wave();
          """.formatted(blocked)));

      BatchMonitor.Report report = service.monitor.sweep();

      assertThat(report.swept()).isEqualTo(2);
      assertThat(report.errors()).isEqualTo(1);
      assertThat(submitted(service, healthy)).isEqualTo(6); // its second wave went out
      assertThat(submitted(service, blocked)).isEqualTo(3);
      assertThat(service.state(blocked)).isEqualTo("COMPARING"); // transient: not failed

      service.jdbi.useHandle(h -> h.execute("DROP TRIGGER test_refuse_wave ON comparisons"));
      assertThat(service.monitor.sweep().errors()).isZero();
      assertThat(submitted(service, blocked)).isEqualTo(6);
    }
  }

  @Test
  void aSweepThatThrowsAnErrorDoesNotStopTheSchedule() {
    AtomicInteger sweeps = new AtomicInteger();
    try (MonitorSchedule schedule = MonitorSchedule.start(() -> {
      if (sweeps.incrementAndGet() <= 2) {
        throw new StackOverflowError("a batch with a pathological graph");
      }
    }, Duration.ofMillis(20), Clock.systemUTC(), "test-monitor")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> sweeps.get() >= 5);
      assertThat(schedule.sweeping()).isTrue();
    }
  }

  @Test
  void aMonitorThatStopsFinishingSweepsIsReported() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger sweeps = new AtomicInteger();
    try (MonitorSchedule schedule = MonitorSchedule.start(() -> {
      if (sweeps.incrementAndGet() == 3) {
        try {
          release.await(); // a sweep stuck, e.g. on a lock
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, Duration.ofMillis(50), Clock.systemUTC(), "test-monitor")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> sweeps.get() >= 3);
      await().atMost(Duration.ofSeconds(30)).until(() -> !schedule.sweeping());
      release.countDown();
      await().atMost(Duration.ofSeconds(30)).until(schedule::sweeping);
    }
  }

  private static int submitted(ServiceHarness service, long job) {
    return service.jdbi.withHandle(h -> h.createQuery("SELECT submitted FROM batches WHERE id = :id")
        .bind("id", job).mapTo(Integer.class).one());
  }
}
