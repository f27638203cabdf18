package org.cjassessment.service;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** The upstream EventEnvelope, generic in its payload. */
public record Envelope<T>(
    UUID eventId,
    String eventType,
    Instant eventTimestamp,
    String sourceService,
    int schemaVersion,
    UUID correlationId,
    String dataSchemaUri,
    T data,
    Map<String, Object> metadata) {}
