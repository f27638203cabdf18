package org.cjassessment.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * A real {@link Producer} with switchable faults: "down" fails every send as an unreachable broker would; per event
 * id it can fail the next sends (retriable, an outage), refuse them (not retriable, the record's own fault), or let
 * the broker write a record and then lose the acknowledgement.
 */
final class FaultInjectingProducer implements Producer<byte[], byte[]> {

  private final Producer<byte[], byte[]> delegate;
  private volatile boolean down;
  private final Map<String, Integer> failBeforeSend = new ConcurrentHashMap<>();
  private final Map<String, Integer> loseAckAfterSend = new ConcurrentHashMap<>();
  private final Map<String, Integer> refuse = new ConcurrentHashMap<>();
  final AtomicInteger failedSends = new AtomicInteger();

  FaultInjectingProducer(Producer<byte[], byte[]> delegate) {
    this.delegate = delegate;
  }

  void down() {
    down = true;
  }

  void up() {
    down = false;
  }

  /** The next {@code times} sends of this event fail without reaching the broker. */
  void failNextSends(String eventId, int times) {
    failBeforeSend.put(eventId, times);
  }

  /** The next {@code times} sends of this event are refused for good, as a record over the size limit is. */
  void refuseNextSends(String eventId, int times) {
    refuse.put(eventId, times);
  }

  /** The next {@code times} sends of this event reach the broker, but the relay is told they failed. */
  void loseNextAcks(String eventId, int times) {
    loseAckAfterSend.put(eventId, times);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    return send(record, null);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
    String eventId = eventId(record);
    if (consume(refuse, eventId)) {
      return fail(callback, new RecordTooLargeException("injected: the broker refuses this record"));
    }
    if (down || consume(failBeforeSend, eventId)) {
      return fail(callback, new NetworkException("injected: broker unreachable"));
    }
    if (consume(loseAckAfterSend, eventId)) {
      try {
        delegate.send(record).get();
      } catch (Exception e) {
        throw new IllegalStateException("the real send failed in a lost-ack test", e);
      }
      return fail(callback, new NetworkException("injected: acknowledgement lost after the broker wrote it"));
    }
    return delegate.send(record, callback);
  }

  private Future<RecordMetadata> fail(Callback callback, Exception error) {
    failedSends.incrementAndGet();
    if (callback != null) {
      callback.onCompletion(null, error);
    }
    return CompletableFuture.failedFuture(error);
  }

  private static boolean consume(Map<String, Integer> remaining, String eventId) {
    boolean[] hit = {false};
    remaining.computeIfPresent(
        eventId,
        (id, n) -> {
          hit[0] = true;
          return n > 1 ? n - 1 : null;
        });
    return hit[0];
  }

  private static String eventId(ProducerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(OutboxMessage.EVENT_ID);
    return header == null ? "" : new String(header.value(), UTF_8);
  }

  @Override
  public void flush() {
    if (!down) {
      delegate.flush();
    }
  }

  @Override
  public void initTransactions() {
    delegate.initTransactions();
  }

  @Override
  public void beginTransaction() {
    delegate.beginTransaction();
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  @Override
  public void commitTransaction() {
    delegate.commitTransaction();
  }

  @Override
  public void abortTransaction() {
    delegate.abortTransaction();
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }
}
