package org.cjassessment.inbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * One Kafka record as a handler sees it: where it came from, its bytes, its headers (decoded as UTF-8) and the event
 * id the inbox deduplicates on.
 *
 * @param eventId the {@code event_id} header, else the envelope's {@code event_id} field
 * @param eventType the {@code event_type} header, else the envelope's field, else empty
 */
public record InboxRecord(
    String topic,
    int partition,
    long offset,
    byte[] key,
    byte[] value,
    Map<String, String> headers,
    String eventId,
    String eventType) {

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  public String keyAsString() {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }

  /** "topic-partition@offset": how logs and dead-letter headers name a record (never by its content). */
  public String position() {
    return topic + "-" + partition + "@" + offset;
  }
}
