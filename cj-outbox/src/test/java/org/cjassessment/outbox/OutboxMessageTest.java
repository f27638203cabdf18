package org.cjassessment.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OutboxMessageTest {

  private static final String ESSAY = "My summer holiday was spent reading Strindberg.";

  private static OutboxMessage.Builder valid() {
    return OutboxMessage.builder()
        .eventId(UUID.fromString("00000000-0000-5000-8000-000000000001"))
        .aggregate("cj_batch", "batch-7")
        .eventType("huleedu.cj_assessment.completed.v1")
        .topic("huleedu.cj_assessment.completed.v1")
        .correlationId("corr-1")
        .payload(ESSAY.getBytes(UTF_8))
        .sourceService("cj_assessment_service")
        .schemaVersion("1")
        .contentType("application/json");
  }

  @Test
  void key_defaults_to_the_aggregate_id() {
    assertThat(valid().build().key()).isEqualTo("batch-7");
    assertThat(valid().key("other").build().key()).isEqualTo("other");
  }

  @Test
  void to_string_never_shows_the_payload() {
    OutboxMessage message = valid().build();
    assertThat(message.toString()).doesNotContain("Strindberg").contains(ESSAY.getBytes(UTF_8).length + " bytes");
  }

  @Test
  void payload_is_copied_in_and_out() {
    byte[] bytes = "abc".getBytes(UTF_8);
    OutboxMessage message = valid().payload(bytes).build();
    bytes[0] = 'X';
    message.payload()[1] = 'Y';
    assertThat(message.payload()).isEqualTo("abc".getBytes(UTF_8));
  }

  @Test
  void published_headers_put_the_six_standard_ones_first_then_extras_by_name() {
    OutboxMessage message = valid().header("zeta", "z").header("occurred_at", "2026-01-01T00:00:00Z").build();
    assertThat(message.publishedHeaders())
        .containsExactly(
            Map.entry("event_id", "00000000-0000-5000-8000-000000000001"),
            Map.entry("event_type", "huleedu.cj_assessment.completed.v1"),
            Map.entry("correlation_id", "corr-1"),
            Map.entry("source_service", "cj_assessment_service"),
            Map.entry("schema_version", "1"),
            Map.entry("content_type", "application/json"),
            Map.entry("occurred_at", "2026-01-01T00:00:00Z"),
            Map.entry("zeta", "z"));
  }

  @Test
  void a_required_header_is_missing() {
    assertThatThrownBy(() -> valid().header("schema_version", " ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'schema_version' is missing")
        .hasMessageContaining("00000000-0000-5000-8000-000000000001");
  }

  @Test
  void derived_headers_may_not_be_supplied_in_the_map() {
    assertThatThrownBy(() -> valid().header("event_id", "other").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'event_id' is set by the relay");
  }

  @Test
  void an_illegal_topic_fails_the_append_not_the_relay() {
    assertThatThrownBy(() -> valid().topic("bad topic!").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad topic!' is not a legal Kafka topic name");
    assertThatThrownBy(() -> valid().topic("x".repeat(250)).build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void blank_fields_are_rejected_by_name() {
    assertThatThrownBy(() -> valid().eventType(" ").build()).hasMessageContaining("eventType must not be blank");
    assertThatThrownBy(() -> valid().correlationId(null).build()).hasMessageContaining("correlationId");
    assertThatThrownBy(() -> valid().eventId(null).build()).hasMessageContaining("eventId");
  }
}
