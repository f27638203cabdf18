package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cjassessment.service.batch.BatchConflictException;
import org.cjassessment.service.batch.BatchIntake;
import org.cjassessment.service.batch.BatchRequest;
import org.cjassessment.service.batch.EssayInput;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One batch per client and upstream batch id, on a real database: whatever the request's event id, whatever the
 * clients racing, and never the old job for new content.
 */
@ExtendWith(SharedInfrastructure.class)
class IntakeIdempotencyTest {

  private static ServiceHarness service;

  @BeforeAll
  static void start() {
    service = new ServiceHarness();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void aRePublishedRequestWithANewEventIdIsTheSameBatch() {
    BatchIntake.Submitted first = service.intake.submit(request("bos-1", "evt-1", "text", 6));
    BatchIntake.Submitted copy = service.intake.submit(request("bos-1", "evt-2", "text", 6));
    assertThat(first.created()).isTrue();
    assertThat(copy.created()).isFalse();
    assertThat(copy.jobId()).isEqualTo(first.jobId());
    assertThat(copy.publicId()).isEqualTo(first.publicId());
    // Omitting the budget and naming the default are the same request.
    BatchIntake.Submitted defaulted = service.intake.submit(request("bos-2", "e1", "text", 0));
    assertThat(service.intake.submit(request("bos-2", "e2", "text", service.settings.defaultBudget())).jobId())
        .isEqualTo(defaulted.jobId());
    assertThat(batches("bos-1")).isEqualTo(1);
  }

  @Test
  void theSameIdWithOtherContentIsRefusedWithItsReason() {
    service.intake.submit(request("bos-3", "evt-1", "text", 6));
    assertThatThrownBy(() -> service.intake.submit(request("bos-3", "evt-2", "other text", 6)))
        .isInstanceOf(BatchConflictException.class)
        .hasMessageContaining("batch_id 'bos-3' already has job").hasMessageContaining("different content")
        .hasMessageNotContaining("other text");
    assertThatThrownBy(() -> service.intake.submit(request("bos-3", "evt-3", "text", 7)))
        .isInstanceOf(BatchConflictException.class);
    // Another pair selector is another assessment (it was taken as the same request and answered with the job).
    BatchRequest same = request("bos-3", "evt-5", "text", 6);
    assertThatThrownBy(() -> service.intake.submit(new BatchRequest(same.upstreamBatchId(), same.requestEventId(),
        same.correlationId(), same.essays(), same.gradeScale(), same.budget(), same.userId(), same.orgId(),
        same.assignmentId(), same.courseCode(), same.language(), same.assignmentContext(), same.llmConfigOverrides(),
        "random"))).isInstanceOf(BatchConflictException.class);
    // Another client's namespace is its own.
    assertThat(service.intake.submit("school-x", request("bos-3", "evt-4", "other text", 6)).created()).isTrue();
    assertThat(batches("bos-3")).isEqualTo(2);
  }

  /**
   * Instances receiving the same request at the same moment, in real concurrent transactions: the unique constraint
   * makes every loser wait for the winner's commit and then find its batch. Without it (or without ON CONFLICT)
   * this ends with several batches or with errors.
   */
  @Test
  void concurrentIdenticalRequestsCreateOneBatch() throws Exception {
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 8; round++) {
        String upstream = "race-" + round + "-" + UUID.randomUUID();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<BatchIntake.Submitted>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String eventId = "evt-" + t;
          results.add(pool.submit(() -> {
            start.await(30, TimeUnit.SECONDS);
            return service.intake.submit(request(upstream, eventId, "text", 6));
          }));
        }
        List<BatchIntake.Submitted> answers = new ArrayList<>();
        for (Future<BatchIntake.Submitted> f : results) {
          answers.add(f.get(60, TimeUnit.SECONDS));
        }
        assertThat(answers.stream().filter(BatchIntake.Submitted::created)).hasSize(1);
        assertThat(answers.stream().map(BatchIntake.Submitted::jobId).distinct()).hasSize(1);
        assertThat(batches(upstream)).isEqualTo(1);
        long job = answers.get(0).jobId();
        int requests = service.jdbi.withHandle(h -> h.createQuery(
            "SELECT count(*) FROM comparisons WHERE batch_id = :id").bind("id", job).mapTo(Integer.class).one());
        assertThat(requests).as("one first wave").isEqualTo(3);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static int batches(String upstream) {
    return service.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM batches WHERE upstream_batch_id = :u")
        .bind("u", upstream).mapTo(Integer.class).one());
  }

  private static BatchRequest request(String upstream, String eventId, String firstText, int budget) {
    List<EssayInput> essays = List.of(EssayInput.student("s00", firstText), EssayInput.student("s01", "b"),
        EssayInput.student("s02", "c"), EssayInput.student("s03", "d"), EssayInput.student("s04", "e"),
        EssayInput.student("s05", "f"));
    return new BatchRequest(upstream, eventId, UUID.randomUUID(), essays, "swedish_8_anchor", budget, "u", "o",
        null, null, "en", null, Map.of());
  }
}
