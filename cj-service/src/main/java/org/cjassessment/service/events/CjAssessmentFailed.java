package org.cjassessment.service.events;

import java.time.Instant;

/** Thin failure event for ELS ({@code huleedu.cj_assessment.failed.v1}). */
public record CjAssessmentFailed(
    String eventName,
    String entityId,
    String entityType,
    String parentId,
    Instant timestamp,
    String status,
    SystemMetadata systemMetadata,
    String cjAssessmentJobId) {}
