package org.cjassessment.service.batch;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cjassessment.core.batch.FailureReason;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.events.CjAssessmentFailed;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.service.events.SystemMetadata;
import org.cjassessment.outbox.OutboxStore;
import org.cjassessment.service.auth.Client;
import org.cjassessment.service.intake.RequestEventParser.RequestIdentity;
import org.jdbi.v3.core.Jdbi;

/**
 * A Kafka request that can never be served (no student essays, unknown scale, an oversized essay, a text the
 * content store does not have) still ends its upstream batch: a {@code huleedu.cj_assessment.failed.v1} event through
 * the outbox, as the upstream service did, so ELS does not wait forever. Exactly once per upstream batch: the event
 * id is UUIDv5 of "cj:upstream:" + batch id + ":failed", and a batch that exists already (a valid copy of the request
 * came first) gets no failure event from a bad copy.
 */
public final class RejectedRequests {

  /** What upstream puts in {@code cj_assessment_job_id} when no job was created. */
  public static final String NO_JOB = "INITIALIZATION_FAILED";

  private final Jdbi jdbi;
  private final BatchStore store;
  private final EventFactory events;
  private final OutboxStore outbox;
  private final Clock clock;

  public RejectedRequests(Jdbi jdbi, BatchStore store, EventFactory events, OutboxStore outbox, Clock clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.events = events;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** The failure event's id for an upstream batch refused at intake. */
  public static java.util.UUID eventId(String upstreamBatchId) {
    return EventKind.FAILED.eventId("upstream:" + upstreamBatchId);
  }

  /**
   * Appends the failure event unless the upstream batch has a batch or the event exists already.
   *
   * @param reason a message for people: the limit or field and the fix, never essay text
   * @return whether this call appended it
   */
  public boolean fail(RequestIdentity request, FailureReason code, String reason) {
    Instant now = clock.instant();
    return jdbi.inTransaction(h -> {
      store.lockUpstream(h, Client.PLATFORM_ID, request.upstreamBatchId()); // no valid copy being inserted meanwhile
      if (store.findByUpstream(h, Client.PLATFORM_ID, request.upstreamBatchId()).isPresent()) {
        return false;
      }
      Map<String, Object> errorInfo = new LinkedHashMap<>();
      errorInfo.put("error_code", code.name());
      errorInfo.put("error_message", reason);
      errorInfo.put("error_type", "batch_failure");
      Map<String, Object> context = new LinkedHashMap<>();
      context.put("trigger", Trigger.INTAKE.name());
      context.put("submitted", 0);
      context.put("judged", 0);
      context.put("errored", 0);
      context.put("budget", 0);
      errorInfo.put("context", context);
      String upstream = request.upstreamBatchId();
      CjAssessmentFailed payload = new CjAssessmentFailed("cj_assessment.failed", upstream, "batch", null, now,
          "failed_critically", new SystemMetadata(upstream, "batch", null, now, "failed", now, now,
              "cj_assessment.failed", errorInfo),
          NO_JOB);
      return outbox.append(h, events.upstreamEvent(EventKind.FAILED, eventId(upstream), request.correlationId(),
          upstream, payload, now));
    });
  }
}
