package org.cjassessment.service.events;

import java.time.Instant;
import java.util.Map;

/** Upstream SystemProcessingMetadata. */
public record SystemMetadata(
    String entityId,
    String entityType,
    String parentId,
    Instant timestamp,
    String processingStage,
    Instant startedAt,
    Instant completedAt,
    String event,
    Map<String, Object> errorInfo) {}
