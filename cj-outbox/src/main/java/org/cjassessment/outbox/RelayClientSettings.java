package org.cjassessment.outbox;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka client settings behind {@link OutboxRelay#producerProperties} and {@link OutboxRelay#deliveryCheckProperties}. */
final class RelayClientSettings {

  private RelayClientSettings() {}

  static Map<String, Object> producer(String bootstrapServers) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // ≤ 5 keeps order with idempotence
    p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE); // bounded by delivery.timeout.ms
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0); // the relay sends a whole round, then flushes: nothing to wait for
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000); // ≥ linger.ms + request.timeout.ms
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000); // send() waiting for metadata of an unreachable cluster
    // Large events (the result of a 10,000-essay batch is ~4 MB of JSON) must reach a broker with default
    // limits. The producer checks max.request.size against the UNcompressed record, the broker checks
    // message.max.bytes (1 MiB by default) against the compressed batch: so compress (zstd shrinks the result event,
    // doubles rounded to 6 decimals, about 5x: `cj bench event-sizes`) and let the producer build requests up to
    // 32 MiB. docs/OUTBOX.md, "Sizes".
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, OutboxRelay.MAX_REQUEST_BYTES);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * OutboxRelay.MAX_REQUEST_BYTES); // a whole round of large events fits
    return p;
  }

  static Map<String, Object> deliveryCheckConsumer(String bootstrapServers) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    // assigned partitions and explicit seeks: no group, nothing committed
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // the relay's producer is not transactional: its records are readable as soon as they are replicated
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    // a seek below the log start (retention ran) starts at the oldest record instead of failing
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, OutboxRelay.MAX_REQUEST_BYTES); // large events, few polls
    return p;
  }
}
