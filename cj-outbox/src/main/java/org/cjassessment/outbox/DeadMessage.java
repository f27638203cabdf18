package org.cjassessment.outbox;

import java.time.Instant;
import java.util.UUID;

/** A DEAD outbox row as an operator sees it (no payload). */
public record DeadMessage(
    long id,
    UUID eventId,
    String eventType,
    String topic,
    String key,
    int attempts,
    String lastError,
    Instant createdAt,
    Instant lastAttemptAt) {}
