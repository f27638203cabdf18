package org.cjassessment.service.batch;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.core.pairs.SelectorKind;
import org.cjassessment.service.Json;
import org.cjassessment.service.ServiceSettings;
import org.cjassessment.service.auth.Client;
import org.jdbi.v3.core.Jdbi;

/**
 * Turns a validated request into a batch and its first wave, in one transaction. Idempotent by business key: one
 * batch per client and upstream batch id, whatever the request's event id (the upstream relay re-publishes with new
 * ids). A repeat with the same content finds the batch and creates nothing; one with different content is refused
 * ({@link BatchConflictException}).
 */
public final class BatchIntake {

  /**
   * The batch a request maps to and whether this call created it.
   *
   * @param jobId the internal id ({@code cj_assessment_job_id} of the events)
   * @param publicId the job id shown over HTTP
   */
  public record Submitted(long jobId, UUID publicId, boolean created) {}

  private final Jdbi jdbi;
  private final BatchStore store;
  private final BatchAdvancer advancer;
  private final BatchRequestValidator validator;
  private final ServiceSettings settings;
  private final Clock clock;

  /** @param clock the service clock (the advancer's): a batch's start and end times come from the same clock */
  public BatchIntake(Jdbi jdbi, BatchStore store, BatchAdvancer advancer, ServiceSettings settings, Clock clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.advancer = advancer;
    this.validator = new BatchRequestValidator(settings);
    this.settings = settings;
    this.clock = clock;
  }

  /** A request of the platform (the Kafka intake, in-process callers): {@link Client#PLATFORM_ID}'s batch ids. */
  public Submitted submit(BatchRequest request) {
    return submit(Client.PLATFORM_ID, request);
  }

  /**
   * @param clientId whose batch ids the request's batch id belongs to
   * @throws InvalidRequestException before anything is written
   * @throws BatchConflictException when the client has this batch id already, with other content
   */
  public Submitted submit(String clientId, BatchRequest request) {
    validator.validate(request);
    int budget = request.budget() > 0 ? request.budget() : settings.defaultBudget();
    String fingerprint = RequestFingerprint.of(request, budget);
    String stored = withoutTexts(request, budget);
    return jdbi.inTransaction(h -> {
      store.lockUpstream(h, clientId, request.upstreamBatchId());
      var id = store.insertBatch(h, clientId, request, budget, fingerprint, stored, clock.instant());
      if (id.isEmpty()) {
        BatchStore.ExistingBatch existing = store.findByUpstream(h, clientId, request.upstreamBatchId())
            .orElseThrow(() -> new IllegalStateException("batch " + request.upstreamBatchId() + " of " + clientId
                + " conflicted on insert but cannot be read"));
        // NULL: created before fingerprints existed; nothing to compare, so it is taken as the same request.
        if (existing.fingerprint() != null && !existing.fingerprint().equals(fingerprint)) {
          throw new BatchConflictException("batch_id '" + request.upstreamBatchId() + "' already has job "
              + existing.publicId() + " with different content (essays, texts, anchors, scale, budget or settings);"
              + " send the same content to get that job, or use a new batch_id");
        }
        return new Submitted(existing.id(), existing.publicId(), false);
      }
      store.insertEssays(h, id.get(), request.essays());
      advancer.advance(h, id.get(), Trigger.INTAKE);
      UUID publicId = store.find(h, id.get()).orElseThrow().publicId();
      return new Submitted(id.get(), publicId, true);
    });
  }

  /** The request as stored in the batch row: everything but the essay texts. */
  private static String withoutTexts(BatchRequest r, int budget) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("upstream_batch_id", r.upstreamBatchId());
    m.put("request_event_id", r.requestEventId());
    m.put("grade_scale", r.gradeScale());
    m.put("max_comparisons", budget);
    m.put("user_id", r.userId());
    m.put("org_id", r.orgId());
    m.put("assignment_id", r.assignmentId());
    m.put("course_code", r.courseCode());
    m.put("language", r.language());
    m.put("assignment_context", r.assignmentContext());
    m.put("llm_config_overrides", r.llmConfigOverrides());
    if (r.pairSelector() != null) {
      m.put("pair_selector", SelectorKind.find(r.pairSelector()).orElseThrow().id());
    }
    List<Map<String, Object>> essays = r.essays().stream().map(e -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("essay_id", e.essayId());
      x.put("anchor_grade", e.anchorGrade());
      x.put("storage_id", e.storageId());
      return x;
    }).toList();
    m.put("essays", essays);
    return Json.write(m);
  }
}
