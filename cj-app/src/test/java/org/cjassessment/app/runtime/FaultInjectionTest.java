package org.cjassessment.app.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-injection suite (issue 8): {@code cj serve} as a child process on a PostgreSQL and a KRaft broker of the
 * suite's own, many small batches over Kafka and HTTP, a judge that answers late, shuffled and twice — and
 * {@code kill -9}, a broker outage longer than the relay's retry ladder, a PostgreSQL restart. {@link FaultSuite}
 * runs the faults, {@link FaultSuiteChecks} demands the end state, {@link FaultFigures} prints what was measured.
 *
 * <p>The default run is part of {@code ./mvnw -B verify} (about 2 minutes); the soak is the same with more batches
 * and rounds:
 * {@code ./mvnw -B -pl cj-app -am verify -Dtest=FaultInjectionTest#soak -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcj.faults.soak=true [-Dcj.faults.batches=300] [-Dcj.faults.rounds=5] [-Dcj.faults.seed=N]}. Every random choice
 * comes from the printed seed; {@code -Dcj.faults.seed} replays a run's fault moments (the machine's timing still
 * varies).
 */
class FaultInjectionTest {

  /** The child's ladder: 2 failed attempts make a refused row DEAD (the default, 12, takes about 18 minutes). */
  private static final int MAX_ATTEMPTS = 2;

  @Test
  void everyBatchEndsOnceThroughKillsABrokerOutageAndADatabaseRestart(@TempDir Path dir) throws Exception {
    run(dir, new FaultSuite.Plan(30, 1, MAX_ATTEMPTS, seed()));
  }

  @Test
  @EnabledIfSystemProperty(named = "cj.faults.soak", matches = "true")
  void soak(@TempDir Path dir) throws Exception {
    run(dir, new FaultSuite.Plan(Integer.getInteger("cj.faults.batches", 300),
        Integer.getInteger("cj.faults.rounds", 5), MAX_ATTEMPTS, seed()));
  }

  private static long seed() {
    return Long.getLong("cj.faults.seed", new Random().nextLong());
  }

  private static void run(Path dir, FaultSuite.Plan plan) throws Exception {
    long started = System.nanoTime();
    System.out.printf("fault suite: seed %d (replay with -Dcj.faults.seed=%d), %d batches, %d round(s)%n",
        plan.seed(), plan.seed(), plan.batches(), plan.rounds());
    FaultFigures figures = new FaultFigures(plan.seed());
    try (FaultWorld world = new FaultWorld(dir, Map.of(
        "CJ_OUTBOX_MAX_ATTEMPTS", Integer.toString(plan.maxAttempts())))) {
      UnrulyAnswers answers = new UnrulyAnswers(world.bootstrap(), plan.seed(), 0.3, 0.2);
      try (TestJudge judge = new TestJudge(world.bootstrap(), world.topics().comparisonRequests(), answers, 0)) {
        FaultSuite suite = new FaultSuite(world, plan, figures);
        try {
          suite.run();
          FaultSuiteChecks.awaitSettled(world, suite.submitted(), Duration.ofMinutes(3));
          FaultSuiteChecks.assertEndState(world, suite.submitted(), plan.maxAttempts(), figures);
        } catch (Throwable e) {
          System.out.println("fault suite FAILED with seed " + plan.seed() + "; figures so far:\n" + figures.table()
              + "\nlast cj serve log:\n" + world.serviceLog());
          throw e;
        }
        figures.note(String.format(Locale.ROOT,
            "%d batches (%d over HTTP), %d kills, judge: %d answers sent (%d duplicated, %d delayed, %d sends"
                + " retried after a broker failure); wall %.1f s",
            suite.submitted().size(), suite.overHttp(), world.kills(), answers.sent(), answers.duplicates(),
            answers.delayed(), answers.resent(), (System.nanoTime() - started) / 1e9));
      }
    }
    System.out.println("fault suite figures:\n" + figures.table());
  }
}
