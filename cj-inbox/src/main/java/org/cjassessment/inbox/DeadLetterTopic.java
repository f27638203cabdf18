package org.cjassessment.inbox;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that will never be processed to the dead-letter topic: same key, same value, its own headers kept,
 * plus where it came from and why ({@link #REASON} and the other {@code dlq_*} headers, the names cj-service uses
 * too). Synchronous, so the source offset is committed only once the broker holds the copy. One WARN line per record,
 * naming its position and the reason, never its content.
 */
public final class DeadLetterTopic {

  public static final String REASON = "dlq_reason";
  public static final String SOURCE_TOPIC = "dlq_source_topic";
  public static final String SOURCE_PARTITION = "dlq_source_partition";
  public static final String SOURCE_OFFSET = "dlq_source_offset";
  public static final String CONSUMER = "dlq_consumer";
  public static final String ATTEMPTS = "dlq_attempts";

  /** A reason is one line of at most this many characters: headers are for triage, not for stack traces. */
  static final int MAX_REASON_CHARS = 500;

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTopic.class);

  private final Producer<byte[], byte[]> producer;
  private final String topic;

  public DeadLetterTopic(Producer<byte[], byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  public String topic() {
    return topic;
  }

  /** Blocks until the broker acknowledged the copy; throws if it did not (the caller then retries the record). */
  void send(ConsumerRecord<byte[], byte[]> record, String consumer, String reason, int attempts) {
    String oneLine = oneLine(reason);
    ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic, record.key(), record.value());
    for (Header h : record.headers()) {
      if (!h.key().startsWith("dlq_")) {
        out.headers().add(h);
      }
    }
    out.headers().add(REASON, bytes(oneLine));
    out.headers().add(SOURCE_TOPIC, bytes(record.topic()));
    out.headers().add(SOURCE_PARTITION, bytes(Integer.toString(record.partition())));
    out.headers().add(SOURCE_OFFSET, bytes(Long.toString(record.offset())));
    out.headers().add(CONSUMER, bytes(consumer));
    out.headers().add(ATTEMPTS, bytes(Integer.toString(attempts)));
    try {
      producer.send(out).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dead-lettering", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not dead-letter " + record.topic() + "-" + record.partition() + "@"
          + record.offset() + " to " + topic + ": " + e, e);
    }
    LOG.warn("{}: dead-lettered {}-{}@{} to {} after {} attempt(s): {}", consumer, record.topic(), record.partition(),
        record.offset(), topic, attempts, oneLine);
  }

  static String oneLine(String reason) {
    String s = String.valueOf(reason).replaceAll("\\s+", " ").trim();
    return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS - 1) + "…";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
