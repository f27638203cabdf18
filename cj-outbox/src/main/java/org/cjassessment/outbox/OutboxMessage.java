package org.cjassessment.outbox;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One event to publish: the envelope bytes plus what the relay needs to route and label them.
 *
 * <p>The relay sends {@code payload} verbatim to {@code topic}, keyed by {@code key}, with the headers
 * {@code event_id}, {@code event_type} and {@code correlation_id} taken from the fields and every entry of
 * {@code headers}, which must hold at least {@code source_service}, {@code schema_version} and {@code content_type}.
 *
 * @param eventId deterministic id supplied by the caller (e.g. UUIDv5 of batch id and event kind); a second append
 *     with the same id is a no-op
 * @param key the Kafka record key; rows with the same topic and key are published in append order
 * @param payload the serialized envelope; never logged, not even by {@link #toString()}
 */
public record OutboxMessage(
    UUID eventId,
    String aggregateType,
    String aggregateId,
    String eventType,
    String topic,
    String key,
    String correlationId,
    byte[] payload,
    Map<String, String> headers) {

  public static final String EVENT_ID = "event_id";
  public static final String EVENT_TYPE = "event_type";
  public static final String CORRELATION_ID = "correlation_id";
  public static final String SOURCE_SERVICE = "source_service";
  public static final String SCHEMA_VERSION = "schema_version";
  public static final String CONTENT_TYPE = "content_type";

  /** Headers the relay derives from the record's own fields; they may not appear in {@link #headers()}. */
  static final Set<String> DERIVED_HEADERS = Set.of(EVENT_ID, EVENT_TYPE, CORRELATION_ID);

  /** Headers every message must carry in {@link #headers()}. */
  static final Set<String> REQUIRED_HEADERS = Set.of(SOURCE_SERVICE, SCHEMA_VERSION, CONTENT_TYPE);

  // Kafka's own rule (Topic.validate): legal characters and length; checked here so a typo fails the caller's
  // transaction instead of becoming a dead row later.
  private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  public OutboxMessage {
    Objects.requireNonNull(eventId, "eventId");
    aggregateType = requireText("aggregateType", aggregateType);
    aggregateId = requireText("aggregateId", aggregateId);
    eventType = requireText("eventType", eventType);
    topic = requireText("topic", topic);
    if (!LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new IllegalArgumentException(
          "topic '" + topic + "' is not a legal Kafka topic name (event_id " + eventId
              + "): use 1-249 characters from [a-zA-Z0-9._-], not '.' or '..'");
    }
    key = requireText("key", key);
    correlationId = requireText("correlationId", correlationId);
    Objects.requireNonNull(payload, "payload");
    payload = payload.clone();
    Objects.requireNonNull(headers, "headers");
    TreeMap<String, String> sorted = new TreeMap<>();
    headers.forEach(
        (name, value) -> {
          requireText("header name", name);
          if (DERIVED_HEADERS.contains(name)) {
            throw new IllegalArgumentException(
                "header '" + name + "' is set by the relay from the message's own field (event_id " + eventId
                    + "): remove it from headers");
          }
          sorted.put(name, Objects.requireNonNull(value, () -> "value of header '" + name + "'"));
        });
    for (String required : REQUIRED_HEADERS) {
      if (sorted.getOrDefault(required, "").isBlank()) {
        throw new IllegalArgumentException(
            "header '" + required + "' is missing (event_id " + eventId + "): every message carries "
                + REQUIRED_HEADERS + " so consumers can route and deduplicate it");
      }
    }
    headers = Map.copyOf(sorted);
  }

  /** A copy: the stored array stays as appended. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** All headers the relay will publish, in publication order: the six standard ones first, then extras by name. */
  public Map<String, String> publishedHeaders() {
    return inPublicationOrder(eventId, eventType, correlationId, headers);
  }

  /**
   * The one definition of the header order on the wire, used for a message and for a stored row alike: event id,
   * event type and correlation id (from the record's own fields), then source service, schema version and content
   * type, then any extra headers by name.
   */
  static Map<String, String> inPublicationOrder(UUID eventId, String eventType, String correlationId,
      Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(EVENT_ID, eventId.toString());
    all.put(EVENT_TYPE, eventType);
    all.put(CORRELATION_ID, correlationId);
    all.put(SOURCE_SERVICE, headers.get(SOURCE_SERVICE));
    all.put(SCHEMA_VERSION, headers.get(SCHEMA_VERSION));
    all.put(CONTENT_TYPE, headers.get(CONTENT_TYPE));
    new TreeMap<>(headers).forEach((name, value) -> {
      if (!all.containsKey(name)) {
        all.put(name, value);
      }
    });
    return all;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OutboxMessage that
        && eventId.equals(that.eventId)
        && aggregateType.equals(that.aggregateType)
        && aggregateId.equals(that.aggregateId)
        && eventType.equals(that.eventType)
        && topic.equals(that.topic)
        && key.equals(that.key)
        && correlationId.equals(that.correlationId)
        && Arrays.equals(payload, that.payload)
        && headers.equals(that.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, eventType, topic, key, Arrays.hashCode(payload));
  }

  /** Never shows the payload (student text), only its size. */
  @Override
  public String toString() {
    return "OutboxMessage[eventId=" + eventId + ", eventType=" + eventType + ", topic=" + topic
        + ", aggregate=" + aggregateType + ":" + aggregateId + ", key=" + key + ", correlationId=" + correlationId
        + ", payload=" + payload.length + " bytes, headers=" + headers + "]";
  }

  public static Builder builder() {
    return new Builder();
  }

  private static String requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  /** Fills the record field by field; {@code key} defaults to the aggregate id. */
  public static final class Builder {
    private UUID eventId;
    private String aggregateType;
    private String aggregateId;
    private String eventType;
    private String topic;
    private String key;
    private String correlationId;
    private byte[] payload;
    private final Map<String, String> headers = new TreeMap<>();

    private Builder() {}

    public Builder eventId(UUID eventId) {
      this.eventId = eventId;
      return this;
    }

    public Builder aggregate(String type, String id) {
      this.aggregateType = type;
      this.aggregateId = id;
      return this;
    }

    public Builder eventType(String eventType) {
      this.eventType = eventType;
      return this;
    }

    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    public Builder key(String key) {
      this.key = key;
      return this;
    }

    public Builder correlationId(String correlationId) {
      this.correlationId = correlationId;
      return this;
    }

    public Builder payload(byte[] payload) {
      this.payload = payload;
      return this;
    }

    public Builder sourceService(String value) {
      return header(SOURCE_SERVICE, value);
    }

    public Builder schemaVersion(String value) {
      return header(SCHEMA_VERSION, value);
    }

    public Builder contentType(String value) {
      return header(CONTENT_TYPE, value);
    }

    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public OutboxMessage build() {
      return new OutboxMessage(
          eventId, aggregateType, aggregateId, eventType, topic, key != null ? key : aggregateId, correlationId,
          payload, headers);
    }
  }
}
