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
 * exactly one committed record per batch (completion, result, resource consumption; no failure event, no dead
 * letter), counted by record key.
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
    Map<String, Long> completed = countByKey(world, t.completed());
    Map<String, Long> results = countByKey(world, t.results());
    Map<String, Long> resources = countByKey(world, t.resourceConsumption());
    Map<String, Long> expected = batches.stream().collect(Collectors.toMap(Function.identity(), b -> 1L));
    assertThat(completed).as("completion events per batch").isEqualTo(expected);
    assertThat(results).as("result events per batch").isEqualTo(expected);
    assertThat(resources).as("resource-consumption events per batch").isEqualTo(expected);
    assertThat(countByKey(world, t.failed())).as("failure events").isEmpty();
    assertThat(Runtimes.readAll(world.bootstrap(), t.deadLetters())).as("dead letters").isEmpty();
    figures.note(String.format(java.util.Locale.ROOT,
        "end state: %d batches COMPLETED; outbox %s, most failed attempts of one row %d (CJ_OUTBOX_MAX_ATTEMPTS=%d);"
            + " completed/result/resource records %d/%d/%d, one per batch; failed 0; dead letters 0",
        states.size(), outbox, maxFailed, maxAttempts, completed.size(), results.size(), resources.size()));
  }

  /**
   * Records per upstream batch id. The completion and failure events are keyed by the upstream batch id, the result
   * event by the job id ({@code cj_assessment_job_id}, the batches row id): a job id is translated to its batch.
   */
  private static Map<String, Long> countByKey(FaultWorld world, String topic) {
    Map<String, String> batchOfJob = world.jdbi().withHandle(h -> h.createQuery(
        "SELECT id::text AS job, upstream_batch_id FROM batches")
        .reduceRows(new java.util.HashMap<String, String>(), (m, row) -> {
          m.put(row.getColumn("job", String.class), row.getColumn("upstream_batch_id", String.class));
          return m;
        }));
    List<ConsumerRecord<byte[], byte[]>> records = Runtimes.readAll(world.bootstrap(), topic);
    return records.stream().collect(Collectors.groupingBy(r -> {
      String key = r.key() == null ? "(no key)" : new String(r.key(), StandardCharsets.UTF_8);
      return batchOfJob.getOrDefault(key, key);
    }, Collectors.counting()));
  }
}
