package org.cjassessment.service.kafka;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.cjassessment.service.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input we cannot use goes to the dead-letter topic unchanged, with the reason and its origin in headers, and one
 * WARN line (never the payload: it may hold essay text). Sent synchronously, before the offset is committed, so a
 * rejected record is never lost.
 */
public final class DeadLetters {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  /** Counts dead letters per source topic; no-op by default. */
  public interface Listener {
    default void deadLettered(String sourceTopic) {}
  }

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String consumer;
  private final Listener listener;

  public DeadLetters(Producer<byte[], byte[]> producer, String topic, String consumer, Listener listener) {
    this.producer = producer;
    this.topic = topic;
    this.consumer = consumer;
    this.listener = listener;
  }

  public void send(ConsumerRecord<byte[], byte[]> record, String reason) {
    ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic, record.key(), record.value());
    out.headers().add("dlq_reason", bytes(reason));
    out.headers().add("dlq_source_topic", bytes(record.topic()));
    out.headers().add("dlq_source_partition", bytes(Integer.toString(record.partition())));
    out.headers().add("dlq_source_offset", bytes(Long.toString(record.offset())));
    out.headers().add("dlq_consumer", bytes(consumer));
    try {
      producer.send(out).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while dead-lettering", e);
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      throw new Unavailable("could not dead-letter " + record.topic() + "-" + record.partition() + "@"
          + record.offset() + " to " + topic, e);
    }
    listener.deadLettered(record.topic());
    LOG.warn("dead-lettered {}-{}@{} to {}: {}", record.topic(), record.partition(), record.offset(), topic, reason);
  }

  /** The dead-letter topic could not be written: the record must be retried, never skipped. */
  public static final class Unavailable extends IllegalStateException implements Failures.Transient {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
