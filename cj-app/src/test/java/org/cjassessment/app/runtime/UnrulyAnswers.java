package org.cjassessment.app.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A provider that answers as a badly behaved one does, seeded: some answers are held back for a while (up to
 * {@link #MAX_DELAY_TICKS} polls, about 2 s), every tick's answers go out shuffled, and some are sent twice (the
 * copy again later). It survives broker outages like a real client must: a send that fails (no metadata in time, no
 * acknowledgement before the delivery timeout) is queued again and retried on a later tick, so no answer is lost —
 * which the fault suite checks by demanding that every batch completes. Called from the judge's thread only, except
 * the producer callbacks, which only touch the thread-safe retry queue and counters.
 */
final class UnrulyAnswers implements TestJudge.Answers {

  static final int MAX_DELAY_TICKS = 20;

  private final KafkaProducer<byte[], byte[]> producer;
  private final Random random;
  private final double delayShare;
  private final double duplicateShare;
  private final List<Held> held = new ArrayList<>();
  private final ConcurrentLinkedQueue<Held> failed = new ConcurrentLinkedQueue<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong delayed = new AtomicLong();
  private final AtomicLong resent = new AtomicLong();
  private long tick;

  private record Held(ProducerRecord<byte[], byte[]> record, long dueTick) {}

  UnrulyAnswers(String bootstrap, long seed, double delayShare, double duplicateShare) {
    this.random = new Random(seed);
    this.delayShare = delayShare;
    this.duplicateShare = duplicateShare;
    producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        // short timeouts so a failed send comes back to us (and is retried) instead of blocking the judge
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000));
  }

  @Override
  public void answer(String topic, byte[] key, byte[] value) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
    hold(record, random.nextDouble() < delayShare);
    if (random.nextDouble() < duplicateShare) {
      duplicates.incrementAndGet();
      hold(record, true);
    }
  }

  private void hold(ProducerRecord<byte[], byte[]> record, boolean late) {
    long due = tick;
    if (late) {
      delayed.incrementAndGet();
      due += 1 + random.nextInt(MAX_DELAY_TICKS);
    }
    held.add(new Held(record, due));
  }

  @Override
  public void tick() {
    tick++;
    for (Held h; (h = failed.poll()) != null;) {
      held.add(new Held(h.record(), tick));
    }
    List<Held> due = new ArrayList<>();
    held.removeIf(h -> h.dueTick() <= tick && due.add(h));
    Collections.shuffle(due, random);
    for (Held h : due) {
      try {
        producer.send(h.record(), (metadata, error) -> {
          if (error == null) {
            sent.incrementAndGet();
          } else {
            retry(h);
          }
        });
      } catch (RuntimeException e) {
        retry(h); // send() itself gave up waiting for metadata: the broker is away
      }
    }
  }

  private void retry(Held h) {
    resent.incrementAndGet();
    failed.add(h);
  }

  /** Answers acknowledged by the broker, copies included. */
  long sent() {
    return sent.get();
  }

  long duplicates() {
    return duplicates.get();
  }

  long delayed() {
    return delayed.get();
  }

  /** Sends that failed (broker away) and were queued again. */
  long resent() {
    return resent.get();
  }

  @Override
  public void close() {
    producer.close();
  }
}
