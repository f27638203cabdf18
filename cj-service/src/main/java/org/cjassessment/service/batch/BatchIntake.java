package org.cjassessment.service.batch;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.Json;
import org.cjassessment.service.ServiceSettings;
import org.jdbi.v3.core.Jdbi;

/**
 * Turns a validated request into a batch and its first wave, in one transaction. A redelivered request (same
 * upstream batch id and request event id) finds the existing batch through the unique constraint and creates
 * nothing.
 */
public final class BatchIntake {

  /** The job id and whether this call created it. */
  public record Submitted(long jobId, boolean created) {}

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

  /** @throws InvalidRequestException before anything is written */
  public Submitted submit(BatchRequest request) {
    validator.validate(request);
    int budget = request.budget() > 0 ? request.budget() : settings.defaultBudget();
    String stored = withoutTexts(request, budget);
    return jdbi.inTransaction(h -> {
      var id = store.insertBatch(h, request, budget, stored, clock.instant());
      if (id.isEmpty()) {
        return new Submitted(store.findByRequest(h, request.upstreamBatchId(), request.requestEventId())
            .orElseThrow(), false);
      }
      store.insertEssays(h, id.get(), request.essays());
      advancer.advance(h, id.get(), Trigger.INTAKE);
      return new Submitted(id.get(), true);
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
