package org.cjassessment.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** How an outbox row becomes a Kafka record: stored bytes verbatim, the row's key, six standard headers first. */
final class OutboxRecords {

  private OutboxRecords() {}

  static ProducerRecord<byte[], byte[]> toRecord(ClaimedRow row) {
    List<Header> headers = new ArrayList<>();
    OutboxMessage.inPublicationOrder(row.eventId(), row.eventType(), row.correlationId(), row.headers())
        .forEach((name, value) -> add(headers, name, value));
    // partition chosen by the producer's partitioner from the key: same key, same partition, so id order holds
    return new ProducerRecord<>(row.topic(), null, row.key().getBytes(UTF_8), row.payload(), headers);
  }

  private static void add(List<Header> headers, String name, String value) {
    if (value != null) {
      headers.add(new RecordHeader(name, value.getBytes(UTF_8)));
    }
  }
}
