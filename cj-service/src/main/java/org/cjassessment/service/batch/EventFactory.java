package org.cjassessment.service.batch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.cjassessment.core.events.EventKind;
import org.cjassessment.outbox.OutboxMessage;
import org.cjassessment.service.Envelope;
import org.cjassessment.service.Json;
import org.cjassessment.service.ServiceSettings;

/** Wraps payloads in the upstream envelope and turns them into outbox messages with deterministic ids. */
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

  public OutboxMessage comparisonRequest(BatchRow batch, UUID comparisonCorrelationId, int dispatch, Object payload,
      Instant now) {
    UUID id = EventKind.COMPARISON_REQUESTED.eventId(batch.jobId(), comparisonCorrelationId + ":" + dispatch);
    return message(EventKind.COMPARISON_REQUESTED, id, comparisonCorrelationId, "cj_comparison",
        comparisonCorrelationId.toString(), payload, now);
  }

  /**
   * An event about an upstream batch that has no job (a request refused at intake): the caller chooses the
   * deterministic id.
   */
  public OutboxMessage upstreamEvent(EventKind kind, UUID eventId, UUID correlationId, String aggregateId,
      Object payload, Instant now) {
    return message(kind, eventId, correlationId, "cj_batch", aggregateId, payload, now);
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
