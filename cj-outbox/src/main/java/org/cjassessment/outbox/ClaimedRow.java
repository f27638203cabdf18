package org.cjassessment.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A PENDING row the relay has locked for this round. Package-private: the relay's working copy. */
record ClaimedRow(
    long id,
    UUID eventId,
    String eventType,
    String topic,
    String key,
    String correlationId,
    byte[] payload,
    Map<String, String> headers,
    int attempts,
    Instant createdAt) {

  /** For log lines: identifies the event without its payload. */
  String describe() {
    return "event_id " + eventId + " (id " + id + ", event_type " + eventType + ", topic " + topic + ")";
  }

  @Override
  public String toString() {
    return "ClaimedRow[" + describe() + ", payload " + payload.length + " bytes]";
  }
}
