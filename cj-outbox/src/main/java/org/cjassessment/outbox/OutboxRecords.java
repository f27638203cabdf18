package org.cjassessment.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** How an outbox row becomes a Kafka record: stored bytes verbatim, the row's key, six standard headers first. */
final class OutboxRecords {

  private static final List<String> FROM_HEADERS_MAP =
      List.of(OutboxMessage.SOURCE_SERVICE, OutboxMessage.SCHEMA_VERSION, OutboxMessage.CONTENT_TYPE);

  private OutboxRecords() {}

  static ProducerRecord<byte[], byte[]> toRecord(ClaimedRow row) {
    List<Header> headers = new ArrayList<>();
    add(headers, OutboxMessage.EVENT_ID, row.eventId().toString());
    add(headers, OutboxMessage.EVENT_TYPE, row.eventType());
    add(headers, OutboxMessage.CORRELATION_ID, row.correlationId());
    for (String name : FROM_HEADERS_MAP) {
      add(headers, name, row.headers().get(name));
    }
    Map<String, String> extras = new TreeMap<>(row.headers());
    FROM_HEADERS_MAP.forEach(extras::remove);
    OutboxMessage.DERIVED_HEADERS.forEach(extras::remove);
    extras.forEach((name, value) -> add(headers, name, value));
    // partition chosen by the producer's partitioner from the key: same key, same partition, so id order holds
    return new ProducerRecord<>(row.topic(), null, row.key().getBytes(UTF_8), row.payload(), headers);
  }

  private static void add(List<Header> headers, String name, String value) {
    if (value != null) {
      headers.add(new RecordHeader(name, value.getBytes(UTF_8)));
    }
  }
}
