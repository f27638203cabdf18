package org.cjassessment.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A PENDING row the relay has locked for this round. Package-private: the relay's working copy.
 *
 * @param hasSuccessor a later PENDING row with the same topic and key exists: it becomes claimable once this one is
 *     settled, so the relay should look again at once instead of going idle
 * @param previousSend null if no relay ever started sending this row; otherwise the record may be on the broker
 */
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
    Instant createdAt,
    boolean hasSuccessor,
    PreviousSend previousSend) {

  /**
   * What {@code outbox_sends} knows about earlier sends of a row (database clock).
   *
   * @param firstSentAt when the first send started: the record, if it reached the broker, is not older
   * @param sinceLastSend how long ago the latest send started
   * @param outcomeRecorded whether a relay recorded that send's failure; false means the relay died or its commit was
   *     lost after it started sending
   * @param inFlight the outcome was not recorded and the send started less than the relay's {@code inFlightGrace}
   *     ago: its request may still be on its way to the broker, so it is too early to look for it there
   */
  record PreviousSend(Instant firstSentAt, Duration sinceLastSend, boolean outcomeRecorded, boolean inFlight) {}

  ClaimedRow withPreviousSend(PreviousSend send) {
    return new ClaimedRow(id, eventId, eventType, topic, key, correlationId, payload, headers, attempts, createdAt,
        hasSuccessor, send);
  }

  boolean possiblySent() {
    return previousSend != null;
  }

  /** For log lines: identifies the event without its payload. */
  String describe() {
    return "event_id " + eventId + " (id " + id + ", event_type " + eventType + ", topic " + topic + ")";
  }

  @Override
  public String toString() {
    return "ClaimedRow[" + describe() + ", payload " + payload.length + " bytes]";
  }
}
