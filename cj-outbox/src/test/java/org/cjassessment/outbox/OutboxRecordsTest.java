package org.cjassessment.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class OutboxRecordsTest {

  @Test
  void record_carries_the_stored_bytes_the_key_and_the_headers_in_order() {
    byte[] payload = {0, (byte) 0xff, 'a', '\n'};
    ClaimedRow row =
        new ClaimedRow(
            7, UUID.fromString("00000000-0000-5000-8000-000000000002"), "type.v1", "topic.v1", "key-1", "corr-9",
            payload,
            Map.of("zeta", "z", "content_type", "application/json", "schema_version", "1",
                "source_service", "cj"),
            0, Instant.EPOCH, false, null);

    ProducerRecord<byte[], byte[]> record = OutboxRecords.toRecord(row);

    assertThat(record.topic()).isEqualTo("topic.v1");
    assertThat(record.partition()).isNull();
    assertThat(record.key()).isEqualTo("key-1".getBytes(UTF_8));
    assertThat(record.value()).isEqualTo(payload);
    assertThat(StreamSupport.stream(record.headers().spliterator(), false)
        .map(h -> h.key() + "=" + new String(h.value(), UTF_8)))
        .containsExactly(
            "event_id=00000000-0000-5000-8000-000000000002", "event_type=type.v1", "correlation_id=corr-9",
            "source_service=cj", "schema_version=1", "content_type=application/json", "zeta=z");
  }
}
