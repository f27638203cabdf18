package org.cjassessment.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Turns a Kafka record into an {@link InboxRecord}: headers decoded, the event id found or the record refused. */
final class RecordReader {

  static final String EVENT_ID = "event_id";
  static final String EVENT_TYPE = "event_type";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecordReader() {}

  /** @throws PoisonRecordException when neither the headers nor the envelope carry an event id */
  static InboxRecord read(ConsumerRecord<byte[], byte[]> r) {
    Map<String, String> headers = new HashMap<>();
    for (Header h : r.headers()) {
      headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
    }
    String eventId = blankToNull(headers.get(EVENT_ID));
    String eventType = blankToNull(headers.get(EVENT_TYPE));
    if (eventId == null || eventType == null) {
      // Upstream relays sent no headers: fall back to the envelope's own fields.
      JsonNode envelope = envelope(r);
      if (eventId == null) {
        eventId = text(envelope, EVENT_ID);
      }
      if (eventType == null) {
        eventType = text(envelope, EVENT_TYPE);
      }
    }
    if (eventId == null) {
      throw new PoisonRecordException("no event id: neither an event_id header nor an event_id field in the envelope");
    }
    return new InboxRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value() == null ? new byte[0] : r.value(),
        Map.copyOf(headers), eventId, eventType == null ? "" : eventType);
  }

  private static JsonNode envelope(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null || r.value().length == 0) {
      return null;
    }
    try {
      return JSON.readTree(r.value());
    } catch (java.io.IOException e) {
      return null; // the handler reports what is wrong with the body; here only the id matters
    }
  }

  private static String text(JsonNode envelope, String field) {
    if (envelope == null || !envelope.path(field).isTextual()) {
      return null;
    }
    return blankToNull(envelope.get(field).asText());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
