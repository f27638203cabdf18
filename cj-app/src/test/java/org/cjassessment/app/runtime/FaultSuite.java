package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The fault suite's scenario: batches stream in (over Kafka, some over HTTP) while, round after round, the service
 * is killed mid-flight, the broker is stopped for longer than the relay's retry ladder (with a kill while the outbox
 * holds PENDING rows), PostgreSQL restarts, and the service is killed once more at a random moment. Every moment and
 * pause comes from one seeded {@link Random}. {@link FaultSuiteChecks} judges the end state.
 *
 * @see FaultInjectionTest
 */
final class FaultSuite {

  /**
   * What to run.
   *
   * @param batches batches in all (each round's share is submitted before its faults)
   * @param rounds rounds of four faults each (kill, broker outage with a kill inside, PostgreSQL restart, kill)
   * @param maxAttempts the child's {@code CJ_OUTBOX_MAX_ATTEMPTS}: its retry ladder, which an outage must outlast
   * @param seed of every random choice
   */
  record Plan(int batches, int rounds, int maxAttempts, long seed) {}

  static final int MIN_ESSAYS = 6;
  static final int MAX_ESSAYS = 12;
  private static final int HTTP_EVERY = 5; // every fifth batch goes over HTTP
  private static final Duration INFRA = Duration.ofSeconds(120);

  private final FaultWorld world;
  private final Plan plan;
  private final Random random;
  private final FaultFigures figures;
  private final List<String> submitted = new ArrayList<>();
  private int overHttp;

  FaultSuite(FaultWorld world, Plan plan, FaultFigures figures) {
    this.world = world;
    this.plan = plan;
    this.random = new Random(plan.seed());
    this.figures = figures;
  }

  List<String> submitted() {
    return submitted;
  }

  int overHttp() {
    return overHttp;
  }

  void run() throws Exception {
    world.startService();
    world.awaitReady(INFRA);
    int steps = 4 * plan.rounds();
    int perStep = Math.max(1, plan.batches() / steps);
    for (int round = 0; round < plan.rounds(); round++) {
      submit(perStep);
      killMidFlight();
      submit(perStep);
      brokerOutage();
      submit(perStep);
      databaseRestart();
      boolean last = round == plan.rounds() - 1;
      submit(last ? Math.max(perStep, plan.batches() - submitted.size()) : perStep); // the last takes the rest
      killAtRandom();
    }
  }

  /** Kill while callbacks are being applied: a batch with judged and pending comparisons. */
  private void killMidFlight() throws Exception {
    await().atMost(INFRA).pollInterval(Duration.ofMillis(50)).until(() -> world.jdbi().withHandle(h -> h
        .createQuery("SELECT count(*) FROM batches b WHERE b.state = 'COMPARING'"
            + " AND EXISTS (SELECT 1 FROM comparisons c WHERE c.batch_id = b.id AND c.status = 'JUDGED')"
            + " AND EXISTS (SELECT 1 FROM comparisons c WHERE c.batch_id = b.id AND c.status = 'PENDING')")
        .mapTo(Integer.class).one()) > 0);
    pause(0, 1500);
    killAndRestart("kill -9 (mid-flight)");
  }

  /** Kill at a random moment after the last submission. */
  private void killAtRandom() throws Exception {
    pause(0, 4000);
    killAndRestart("kill -9 (random moment)");
  }

  private void killAndRestart(String kind) throws Exception {
    double at = world.clock();
    String state = inFlight();
    world.killService();
    long mark = progress(); // after the death: nothing the dead process committed counts as recovery
    double end = world.clock();
    world.startService();
    recover(kind, at, end, state, mark, false);
  }

  /**
   * The broker away for longer than the relay's ladder: new batches arrive over HTTP meanwhile, so outbox rows
   * fail attempt after attempt; the service is killed while they are PENDING and restarted with the broker still
   * away; the broker returns (same port, same data) only once a PENDING row has failed more often than
   * {@code CJ_OUTBOX_MAX_ATTEMPTS}, the point where a row the broker refuses would have gone DEAD.
   */
  private void brokerOutage() throws Exception {
    pause(0, 2000);
    double at = world.clock();
    String state = inFlight();
    world.stopBroker();
    for (int i = 0; i < 2; i++) {
      submitOverHttp(nextBatchId());
    }
    await().atMost(INFRA).pollInterval(Duration.ofMillis(100)).until(() -> world.jdbi().withHandle(h -> h
        .createQuery("SELECT count(*) FROM outbox WHERE status = 'PENDING' AND attempts >= 1")
        .mapTo(Integer.class).one()) > 0);
    double killAt = world.clock();
    String killState = inFlight();
    world.killService();
    world.startService(); // during the outage: it must come up without a broker
    figures.add(new FaultFigures.Fault("kill -9 (outbox PENDING, broker down)", killAt, world.clock() - killAt,
        killState, Double.NaN, Double.NaN, Double.NaN));
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
      world.assertServiceAlive();
      assertThat(dead()).as("outbox rows DEAD during the broker outage").isZero(); // fail now, not in 5 minutes
      return maxPendingAttempts() > plan.maxAttempts();
    });
    int dead = dead();
    long mark = progress();
    world.startBroker();
    double end = world.clock();
    figures.note(String.format(java.util.Locale.ROOT,
        "broker outage %.1f s: a PENDING row failed more than CJ_OUTBOX_MAX_ATTEMPTS=%d times before the broker came"
            + " back; DEAD rows at that moment: %d",
        end - at, plan.maxAttempts(), dead));
    recover("broker outage", at, end, state, mark, true);
  }

  /** PostgreSQL stopped (fast shutdown) until the service reports it unready, and a little longer; same port. */
  private void databaseRestart() throws Exception {
    pause(0, 2000);
    double at = world.clock();
    String state = inFlight();
    long mark = progress();
    world.stopDatabase();
    await().atMost(INFRA).pollInterval(Duration.ofMillis(100)).until(() -> !world.ready());
    pause(1000, 4000);
    world.startDatabase();
    double end = world.clock();
    recover("PostgreSQL restart", at, end, state, mark, false);
  }

  /** Measures from {@code end} until READY, new progress and (if asked) a drained outbox, whichever come. */
  private void recover(String kind, double at, double end, String state, long mark, boolean drained) {
    double[] ready = {Double.NaN};
    double[] progressed = {Double.NaN};
    double[] emptied = {drained ? Double.NaN : -1};
    await().atMost(INFRA).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (Double.isNaN(ready[0]) && world.ready()) {
        ready[0] = world.clock() - end;
      }
      try {
        if (Double.isNaN(progressed[0]) && progress() > mark) {
          progressed[0] = world.clock() - end;
        } else if (Double.isNaN(progressed[0]) && active() == 0) {
          progressed[0] = Double.POSITIVE_INFINITY; // nothing was left to progress: not measured
        }
        if (Double.isNaN(emptied[0]) && unpublished() == 0) {
          emptied[0] = world.clock() - end;
        }
      } catch (RuntimeException e) {
        return false; // the database is still coming back
      }
      return !Double.isNaN(ready[0]) && !Double.isNaN(progressed[0]) && !Double.isNaN(emptied[0]);
    });
    figures.add(new FaultFigures.Fault(kind, at, end - at, state, ready[0],
        Double.isInfinite(progressed[0]) ? Double.NaN : progressed[0],
        drained ? emptied[0] : Double.NaN));
  }

  /** Judged or failed comparisons plus finished batches: grows whenever the service gets work done. */
  private long progress() {
    return world.jdbi().withHandle(h -> h.createQuery(
        "SELECT (SELECT count(*) FROM comparisons WHERE status <> 'PENDING')"
            + " + (SELECT count(*) FROM batches WHERE state IN ('COMPLETED', 'FAILED'))")
        .mapTo(Long.class).one());
  }

  private int dead() {
    return world.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox WHERE status = 'DEAD'")
        .mapTo(Integer.class).one());
  }

  private int maxPendingAttempts() {
    return world.jdbi().withHandle(h -> h.createQuery(
        "SELECT coalesce(max(attempts), 0) FROM outbox WHERE status = 'PENDING'").mapTo(Integer.class).one());
  }

  private int active() {
    return world.jdbi().withHandle(h -> h.createQuery(
        "SELECT count(*) FROM batches WHERE state IN ('RECEIVED', 'COMPARING')").mapTo(Integer.class).one());
  }

  private int unpublished() {
    return world.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox WHERE status <> 'PUBLISHED'")
        .mapTo(Integer.class).one());
  }

  private String inFlight() {
    return world.jdbi().withHandle(h -> h.createQuery(
        "SELECT (SELECT count(*) FROM batches WHERE state IN ('RECEIVED', 'COMPARING')) || ' batches active, '"
            + " || (SELECT count(*) FROM comparisons WHERE status = 'PENDING') || ' comparisons awaited, '"
            + " || (SELECT count(*) FROM outbox WHERE status = 'PENDING') || ' outbox rows PENDING'")
        .mapTo(String.class).one());
  }

  /** Waits a seeded random time in [min, max) ms: the fault's moment is random but reproducible. */
  private void pause(int minMillis, int maxMillis) {
    Duration d = Duration.ofMillis(minMillis + random.nextInt(maxMillis - minMillis));
    await().pollDelay(d).atMost(d.plusSeconds(5)).until(() -> true);
  }

  private void submit(int count) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = Runtimes.producer(world.bootstrap())) {
      for (int i = 0; i < count && submitted.size() < plan.batches(); i++) {
        String batchId = nextBatchId();
        if (submitted.size() % HTTP_EVERY == HTTP_EVERY - 1) {
          submitOverHttp(batchId);
        } else {
          int students = students();
          Runtimes.send(producer, world.topics().requests(), Runtimes.requestEvent(batchId, "evt-" + batchId,
              students, JudgeWorkerWithServiceTest.ANCHORS, budget(students)));
          submitted.add(batchId);
        }
      }
    }
  }

  private void submitOverHttp(String batchId) throws IOException, InterruptedException {
    int students = students();
    String essays = IntStream.range(0, students)
        .mapToObj(i -> "{\"essay_id\":\"%s-s%02d\",\"text\":\"Student essay %d text.\"}".formatted(batchId, i, i))
        .collect(Collectors.joining(","));
    String anchors = JudgeWorkerWithServiceTest.ANCHORS.entrySet().stream()
        .map(e -> "{\"essay_id\":\"%s\",\"text\":\"Anchor essay.\",\"grade\":\"%s\"}".formatted(e.getKey(),
            e.getValue()))
        .collect(Collectors.joining(","));
    String body = "{\"batch_id\":\"%s\",\"essays\":[%s],\"anchors\":[%s],\"max_comparisons\":%d}"
        .formatted(batchId, essays, anchors, budget(students));
    HttpResponse<String> response = world.http().send(HttpRequest.newBuilder(world.api("/api/v1/batches"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new AssertionError("POST " + batchId + ": " + response.statusCode() + " " + response.body());
    }
    submitted.add(batchId);
    overHttp++;
  }

  private int students() {
    return MIN_ESSAYS + random.nextInt(MAX_ESSAYS - MIN_ESSAYS + 1);
  }

  /** About two comparisons per essay: a few waves, so a batch is in flight for a few seconds. */
  private static int budget(int students) {
    return 2 * (students + JudgeWorkerWithServiceTest.ANCHORS.size());
  }

  /** Letters only: the test judge reads an essay's ability from the digits in its id. */
  private String nextBatchId() {
    int n = submitted.size();
    StringBuilder id = new StringBuilder();
    do {
      id.append((char) ('a' + n % 26));
      n /= 26;
    } while (n > 0);
    return "faults-" + id;
  }
}
