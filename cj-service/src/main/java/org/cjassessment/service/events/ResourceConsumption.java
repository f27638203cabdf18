package org.cjassessment.service.events;

import java.time.Instant;

/** Billing event for Entitlements ({@code huleedu.resource.consumption.v1}); quantity = comparisons judged. */
public record ResourceConsumption(
    String eventName,
    String entityId,
    String entityType,
    String parentId,
    Instant timestamp,
    String userId,
    String orgId,
    String resourceType,
    int quantity,
    String serviceName,
    String processingId,
    Instant consumedAt) {}
