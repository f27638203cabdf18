package org.cjassessment.service.batch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.cjassessment.core.batch.FailureReason;
import org.cjassessment.core.batch.Outcome;
import org.cjassessment.core.batch.StopReason;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.core.bt.EssayEstimate;
import org.cjassessment.core.grade.GradeProbability;
import org.cjassessment.core.grade.StudentGrade;
import org.cjassessment.core.pairs.Pair;
import org.cjassessment.service.events.AssessmentResult;
import org.cjassessment.service.events.CjAssessmentCompleted;
import org.cjassessment.service.events.CjAssessmentFailed;
import org.cjassessment.service.events.ComparisonRequested;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.service.events.ResourceConsumption;
import org.cjassessment.service.events.SystemMetadata;
import org.cjassessment.service.events.WireNumbers;
import org.cjassessment.outbox.OutboxMessage;
import org.cjassessment.service.Envelope;
import org.cjassessment.service.Json;
import org.cjassessment.service.ServiceSettings;

/**
 * The upstream events of a batch: assembles their payloads (field values as upstream consumers expect them), wraps
 * them in the upstream envelope and turns them into outbox messages with deterministic ids.
 */
public final class EventFactory {

  private final ServiceSettings settings;

  public EventFactory(ServiceSettings settings) {
    this.settings = settings;
  }

  /** A batch-level event: id = UUIDv5("cj:" + jobId + ":" + kind), keyed by the aggregate id. */
  public OutboxMessage batchEvent(EventKind kind, BatchRow batch, String aggregateType, String aggregateId,
      Object payload, Instant now) {
    return message(kind, kind.eventId(batch.jobId()), batch.correlationId(), aggregateType, aggregateId, payload,
        now);
  }

  /**
   * {@code huleedu.cj_assessment.comparison_requested.v1}: one pair with both texts, for a judge. Its id comes from
   * the comparison and the dispatch number, so a re-dispatch is a new event and a replayed transaction is not.
   *
   * @param comparison the comparison, with the dispatches it had before this one
   * @param texts essay id → text, for at least the pair's two essays
   */
  OutboxMessage comparisonRequest(BatchRow batch, WaveDispatcher.RequestContext context,
      ComparisonStore.PendingComparison comparison, Map<String, String> texts, Instant now) {
    UUID correlationId = comparison.correlationId();
    int wave = comparison.wave();
    Pair pair = comparison.pair();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("essay_a_id", pair.first());
    metadata.put("essay_b_id", pair.second());
    metadata.put("bos_batch_id", batch.upstreamBatchId());
    metadata.put("cj_batch_id", batch.jobId());
    metadata.put("cj_source", "els");
    metadata.put("cj_request_type", wave == 1 ? "cj_comparison" : "cj_retry");
    metadata.put("comparison_iteration", wave);
    ComparisonRequested payload = new ComparisonRequested(correlationId.toString(), batch.jobId(),
        batch.upstreamBatchId(), wave, new ComparisonRequested.Essay(pair.first(), texts.get(pair.first())),
        new ComparisonRequested.Essay(pair.second(), texts.get(pair.second())), settings.topics().callbacks(),
        context.assignmentContext(), context.llmConfigOverrides(), metadata);
    UUID id = EventKind.COMPARISON_REQUESTED.eventId(batch.jobId(),
        correlationId + ":" + (comparison.dispatches() + 1));
    return message(EventKind.COMPARISON_REQUESTED, id, correlationId, "cj_comparison", correlationId.toString(),
        payload, now);
  }

  /**
   * An event about an upstream batch that has no job (a request refused at intake): the caller chooses the
   * deterministic id.
   */
  public OutboxMessage upstreamEvent(EventKind kind, UUID eventId, UUID correlationId, String aggregateId,
      Object payload, Instant now) {
    return message(kind, eventId, correlationId, "cj_batch", aggregateId, payload, now);
  }

  /** {@code huleedu.cj_assessment.completed.v1}: which students got a result. */
  OutboxMessage completed(BatchRow batch, FinalScores scores, Instant now) {
    List<String> successful = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<EssayEstimate> students = scores.students();
    boolean single = students.size() == 1;
    for (EssayEstimate e : students) {
      // An essay no judge ever placed has no result, except the lone essay of a one-essay batch.
      if (single || e.comparisons() > 0) {
        successful.add(e.essayId());
      } else {
        failed.add(e.essayId());
      }
    }
    String upstream = batch.upstreamBatchId();
    CjAssessmentCompleted payload = new CjAssessmentCompleted("cj_assessment.completed", upstream, "batch", null,
        now, successful.isEmpty() ? "failed_critically" : "completed_successfully",
        // error_info is a dict upstream (default {}): null would fail an upstream consumer's validation
        new SystemMetadata(upstream, "batch", null, now, "completed", batch.createdAt(), now,
            "cj_assessment.completed", Map.of()),
        batch.jobId(),
        new CjAssessmentCompleted.ProcessingSummary(students.size(), successful.size(), failed.size(), successful,
            failed, seconds(batch.createdAt(), now), single));
    return batchEvent(EventKind.COMPLETED, batch, "cj_batch", upstream, payload, now);
  }

  /**
   * {@code huleedu.assessment.result.published.v1}: the ranked students with grades, for RAS.
   *
   * @param stopReason why the batch stopped asking for comparisons (published as {@code stop_reason})
   * @param observed the judge that answered most comparisons, if any did
   */
  public OutboxMessage result(BatchRow batch, Outcome outcome, StopReason stopReason, FinalScores scores,
      Optional<ComparisonStore.JudgeModel> observed, Instant now) {
    List<AssessmentResult.EssayResult> results = new ArrayList<>();
    int rank = 0;
    for (EssayEstimate e : scores.students()) {
      StudentGrade g = scores.grades().get(e.essayId());
      String letter = g == null ? "U" : g.mostLikelyGrade();
      double normalized = g == null ? 0.0 : WireNumbers.rounded(scores.scale().normalizedScore(letter));
      // Numbers rounded at the wire (WireNumbers: six decimals; the probabilities still sum to 1). The confidence
      // is the published probability of the published grade, so the two agree to the last digit.
      Map<String, Double> probabilities = g == null ? null : WireNumbers.probabilities(g.probabilities());
      double confidence = g == null ? 0.0 : probabilities.getOrDefault(letter, WireNumbers.rounded(g.confidence()));
      results.add(new AssessmentResult.EssayResult(e.essayId(), letter, normalized, confidence,
          g == null ? "LOW" : g.confidenceLabel().name(), WireNumbers.rounded(e.score()),
          WireNumbers.rounded(BatchStore.boxed(e.standardError())), ++rank, false, null, probabilities, null, null));
    }
    Map<String, Integer> distribution = new LinkedHashMap<>();
    for (String grade : scores.scale().grades()) {
      distribution.put(grade, 0);
    }
    Map<String, String> anchorGrades = scores.anchorGrades();
    anchorGrades.values().forEach(g -> distribution.merge(g, 1, Integer::sum));
    // model_used / model_provider are required strings upstream (RAS rejects null): the judge that answered most
    // comparisons, else what the request asked for, else "unknown" (e.g. a one-essay batch judged nothing).
    ComparisonStore.JudgeModel model = observed.orElse(new ComparisonStore.JudgeModel(null, null));
    Map<String, Object> overrides = WaveDispatcher.RequestContext.of(batch).llmConfigOverrides();
    String provider = firstNonNull(model.provider(), overrides.get("provider_override"));
    String modelUsed = firstNonNull(model.model(), overrides.get("model_override"));
    Object temperature = overrides.get("temperature_override");
    AssessmentResult.Metadata metadata = new AssessmentResult.Metadata(anchorGrades.size(),
        anchorGrades.isEmpty() ? "default" : "anchor", anchorGrades.isEmpty() ? Map.of() : distribution,
        scores.fit().comparisons(), seconds(batch.createdAt(), now),
        temperature instanceof Number t ? t.doubleValue() : null, batch.assignmentId(), batch.courseCode(),
        scores.scale().id(), WireNumbers.rounded(scores.fit().scaleSeparationReliability()),
        scores.splitHalf().splits() > 0 ? WireNumbers.rounded(scores.splitHalf().reliability()) : null,
        stopReason.id(), outcome.name());
    String upstream = batch.upstreamBatchId();
    AssessmentResult payload = new AssessmentResult("assessment.result.published", upstream, "batch", null, now,
        upstream, batch.jobId(), batch.assignmentId(), "cj_assessment", modelUsed, provider, null, now, results,
        metadata);
    return batchEvent(EventKind.RESULT_PUBLISHED, batch, "assessment_result", batch.jobId(), payload, now);
  }

  /** {@code huleedu.resource.consumption.v1}: billing, one unit per judged comparison. */
  OutboxMessage resourceConsumption(BatchRow batch, int judged, Instant now) {
    String upstream = batch.upstreamBatchId();
    ResourceConsumption payload = new ResourceConsumption("resource.consumption.reported", upstream, "batch", null,
        now, batch.userId(), batch.orgId(), "cj_comparison", judged, settings.sourceService(), batch.jobId(), now);
    return batchEvent(EventKind.RESOURCE_CONSUMPTION, batch, "resource_consumption", upstream, payload, now);
  }

  /** {@code huleedu.cj_assessment.failed.v1}: the reason, and the progress the batch had made. */
  OutboxMessage failed(BatchRow batch, FailureReason reason, String detail, Trigger trigger, Instant now) {
    Map<String, Object> errorInfo = new LinkedHashMap<>();
    errorInfo.put("error_code", reason.name());
    errorInfo.put("error_message", detail);
    errorInfo.put("error_type", "batch_failure");
    Map<String, Object> context = new LinkedHashMap<>(); // ordered: the stored envelope bytes are reproducible
    context.put("trigger", trigger.name());
    context.put("submitted", batch.submitted());
    context.put("judged", batch.judged());
    context.put("errored", batch.errored());
    context.put("budget", batch.budget());
    errorInfo.put("context", context);
    String upstream = batch.upstreamBatchId();
    CjAssessmentFailed payload = new CjAssessmentFailed("cj_assessment.failed", upstream, "batch", null, now,
        "failed_critically", new SystemMetadata(upstream, "batch", null, now, "failed", batch.createdAt(), now,
            "cj_assessment.failed", errorInfo),
        batch.jobId());
    return batchEvent(EventKind.FAILED, batch, "cj_batch", upstream, payload, now);
  }

  /** Grade → probability, in the scale's order (lowest grade first). */
  static Map<String, Double> probabilities(StudentGrade g) {
    Map<String, Double> map = new LinkedHashMap<>();
    for (GradeProbability p : g.probabilities()) {
      map.put(p.grade(), p.probability());
    }
    return map;
  }

  private static String firstNonNull(String observed, Object requested) {
    if (observed != null) {
      return observed;
    }
    return requested instanceof String s && !s.isBlank() ? s : "unknown";
  }

  private static double seconds(Instant from, Instant to) {
    return Math.round(Duration.between(from, to).toMillis() / 10.0) / 100.0;
  }

  private OutboxMessage message(EventKind kind, UUID eventId, UUID correlationId, String aggregateType,
      String aggregateId, Object payload, Instant now) {
    String topic = settings.topics().topicOf(kind);
    Envelope<Object> envelope = new Envelope<>(eventId, kind.defaultTopic(), now, settings.sourceService(), 1,
        correlationId, null, payload, Map.of());
    byte[] bytes = Json.write(envelope).getBytes(StandardCharsets.UTF_8);
    return new OutboxMessage(eventId, aggregateType, aggregateId, kind.defaultTopic(), topic, aggregateId,
        correlationId.toString(), bytes, Map.of(
            "source_service", settings.sourceService(),
            "schema_version", "1",
            "content_type", "application/json"));
  }
}
