package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cjassessment.service.Topics;

/**
 * The end state the fault suite demands: every submitted batch exists once and ended COMPLETED (the test judge never
 * answers with an error and every budget is reachable, so no failure reason is legitimate here: a FAILED batch
 * means a fault leaked into a batch), the outbox holds no DEAD and no PENDING row, and each output topic holds
 * exactly one record per batch (completion, result, resource consumption; no failure event, no dead letter), read
 * {@code read_committed} and counted by record key and {@code event_id}; see {@link #tally} for re-sends.
 */
final class FaultSuiteChecks {

  private FaultSuiteChecks() {}

  static void awaitSettled(FaultWorld world, List<String> batches, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
      world.assertServiceAlive();
      return world.jdbi().withHandle(h -> h.createQuery(
          "SELECT count(*) FROM batches WHERE state IN ('COMPLETED', 'FAILED')").mapTo(Integer.class).one()) >= batches
              .size()
          && world.jdbi().withHandle(h -> h.createQuery(
              "SELECT count(*) FROM outbox WHERE status = 'PENDING'").mapTo(Integer.class).one()) == 0;
    });
  }

  static void assertEndState(FaultWorld world, List<String> batches, int maxAttempts, FaultFigures figures) {
    Map<String, String> states = world.jdbi().withHandle(h -> h.createQuery(
        "SELECT upstream_batch_id, state || coalesce(' ' || failure_reason, '') AS s FROM batches")
        .reduceRows(new java.util.HashMap<String, String>(), (m, row) -> {
          m.put(row.getColumn("upstream_batch_id", String.class), row.getColumn("s", String.class));
          return m;
        }));
    assertThat(states.keySet()).as("batches in the database: each submitted one, no other")
        .containsExactlyInAnyOrderElementsOf(batches);
    assertThat(states).as("every batch COMPLETED (a FAILED one names its reason)")
        .allSatisfy((batch, state) -> assertThat(state).as(batch).isEqualTo("COMPLETED"));

    Map<String, Integer> outbox = world.jdbi().withHandle(h -> h.createQuery(
        "SELECT status, count(*) AS n FROM outbox GROUP BY status")
        .reduceRows(new java.util.HashMap<String, Integer>(), (m, row) -> {
          m.put(row.getColumn("status", String.class), row.getColumn("n", Integer.class));
          return m;
        }));
    assertThat(outbox).as("outbox rows by status").containsOnlyKeys("PUBLISHED");
    int maxFailed = world.jdbi().withHandle(h -> h.createQuery("SELECT max(attempts) FROM outbox")
        .mapTo(Integer.class).one());
    assertThat(maxFailed).as("a row failed more often than the ladder allows, and was published all the same")
        .isGreaterThan(maxAttempts);

    Topics t = world.topics();
    Tally completed = tally(world, t.completed(), figures);
    Tally results = tally(world, t.results(), figures);
    Tally resources = tally(world, t.resourceConsumption(), figures);
    long foundOnBroker = world.serviceLogLines("was already on the broker");
    figures.note(String.format(java.util.Locale.ROOT,
        "end state: %d batches COMPLETED; outbox %s, most failed attempts of one row %d (CJ_OUTBOX_MAX_ATTEMPTS=%d);"
            + " events per batch %d/%d/%d batches with completed/result/resource; records %d/%d/%d, of which re-sends"
            + " of an event already on the topic %d/%d/%d; rows the relay found already on the broker and did not"
            + " send again: %d",
        states.size(), outbox, maxFailed, maxAttempts, completed.eventsPerBatch().size(),
        results.eventsPerBatch().size(), resources.eventsPerBatch().size(), completed.records(), results.records(),
        resources.records(), completed.resends(), results.resends(), resources.resends(), foundOnBroker));
    Map<String, Long> expected = batches.stream().collect(Collectors.toMap(Function.identity(), b -> 1L));
    assertThat(completed.eventsPerBatch()).as("completion events per batch").isEqualTo(expected);
    assertThat(results.eventsPerBatch()).as("result events per batch").isEqualTo(expected);
    assertThat(resources.eventsPerBatch()).as("resource-consumption events per batch").isEqualTo(expected);
    // exactly once on the wire: the relay looks on the broker before re-sending a row whose commit it lost
    assertThat(completed.recordsPerBatch()).as("completion records per batch (a re-send is a second record)")
        .isEqualTo(expected);
    assertThat(results.recordsPerBatch()).as("result records per batch").isEqualTo(expected);
    assertThat(resources.recordsPerBatch()).as("resource-consumption records per batch").isEqualTo(expected);
    assertThat(tally(world, t.failed(), figures).records()).as("failure event records").isZero();
    assertThat(Runtimes.readAll(world.bootstrap(), t.deadLetters())).as("dead letters").isEmpty();
  }

  /**
   * One topic's records by batch.
   *
   * @param eventsPerBatch distinct events (by {@code event_id} header) per upstream batch id
   * @param recordsPerBatch records per upstream batch id
   * @param records every committed record
   * @param resends records whose event was on the topic already
   */
  record Tally(Map<String, Long> eventsPerBatch, Map<String, Long> recordsPerBatch, int records, int resends) {}

  /**
   * Counts events and records. A {@code kill -9} between the broker's acknowledgement and the commit that marks the
   * row PUBLISHED used to send the row again (same {@code event_id}, same bytes); the relay now looks on the broker
   * first (docs/OUTBOX.md, "Possibly sent"), and the suite demands one record per batch. A second record is still
   * noted with its moments and checked to be byte-identical, so a failure says what kind of duplicate it was. The
   * completion and failure events are keyed by the upstream batch id, the result event by the job id (the batches row
   * id), translated here.
   */
  private static Tally tally(FaultWorld world, String topic, FaultFigures figures) {
    Map<String, String> batchOfJob = world.jdbi().withHandle(h -> h.createQuery(
        "SELECT id::text AS job, upstream_batch_id FROM batches")
        .reduceRows(new java.util.HashMap<String, String>(), (m, row) -> {
          m.put(row.getColumn("job", String.class), row.getColumn("upstream_batch_id", String.class));
          return m;
        }));
    Map<String, Map<String, byte[]>> byBatch = new java.util.HashMap<>();
    Map<String, Long> firstSent = new java.util.HashMap<>();
    Map<String, Long> recordsPerBatch = new java.util.HashMap<>();
    int records = 0;
    int resends = 0;
    for (ConsumerRecord<byte[], byte[]> r : Runtimes.readAll(world.bootstrap(), topic)) {
      records++;
      String key = r.key() == null ? "(no key)" : new String(r.key(), StandardCharsets.UTF_8);
      String eventId = Runtimes.header(r, "event_id");
      assertThat(eventId).as("event_id header of a record on %s", topic).isNotNull();
      String batch = batchOfJob.getOrDefault(key, key);
      recordsPerBatch.merge(batch, 1L, Long::sum);
      byte[] earlier = byBatch.computeIfAbsent(batch, b -> new java.util.HashMap<>()).putIfAbsent(eventId, r.value());
      firstSent.putIfAbsent(eventId, r.timestamp());
      if (earlier != null) {
        resends++;
        // when the relay sent it first and again (producer timestamps), to set beside the faults' moments
        figures.note(String.format(java.util.Locale.ROOT, "re-send on %s: %s of batch %s, sent at %.1f s and again"
            + " at %.1f s", topic, Runtimes.header(r, "event_type"), batchOfJob.getOrDefault(key, key),
            world.clockAt(firstSent.get(eventId)), world.clockAt(r.timestamp())));
        assertThat(r.value()).as("a second record of event %s on %s is a re-send: the same bytes", eventId, topic)
            .isEqualTo(earlier);
      }
    }
    Map<String, Long> events = byBatch.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
    return new Tally(events, recordsPerBatch, records, resends);
  }

}
