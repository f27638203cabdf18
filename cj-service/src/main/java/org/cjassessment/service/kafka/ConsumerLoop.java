package org.cjassessment.service.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Poll → handle the whole poll → commit offsets, on one thread. Offsets are committed only after the handler
 * returned (its database transaction committed); if it throws, the consumer seeks back to the first record of the
 * poll and retries after a back-off, so nothing is skipped.
 */
public final class ConsumerLoop implements Runnable, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

  /** Handles one poll; throwing means "not processed, retry". */
  @FunctionalInterface
  public interface PollHandler {
    void handle(ConsumerRecords<byte[], byte[]> records) throws Exception;
  }

  private final String name;
  private final Consumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final PollHandler handler;
  private volatile boolean running = true;
  private volatile boolean healthy = false;
  private Thread thread;

  public ConsumerLoop(String name, Consumer<byte[], byte[]> consumer, List<String> topics, PollHandler handler) {
    this.name = name;
    this.consumer = consumer;
    this.topics = topics;
    this.handler = handler;
  }

  @Override
  public void run() {
    Duration backoff = Duration.ofMillis(200);
    try {
      consumer.subscribe(topics);
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(250));
        healthy = true;
        if (records.isEmpty()) {
          continue;
        }
        try {
          handler.handle(records);
          consumer.commitSync(nextOffsets(records));
          backoff = Duration.ofMillis(200);
        } catch (WakeupException e) {
          throw e;
        } catch (Exception e) {
          healthy = false;
          LOG.error("{}: could not process {} records, retrying in {} ms", name, records.count(), backoff.toMillis(),
              e);
          rewind(records);
          pause(backoff);
          backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
              : backoff.multipliedBy(2);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      healthy = false;
      consumer.close(Duration.ofSeconds(5));
      LOG.info("{}: stopped", name);
    }
  }

  /** Runs the loop on a daemon thread of its own. */
  public synchronized ConsumerLoop start(String threadName) {
    thread = new Thread(this, threadName);
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  public boolean healthy() {
    return healthy;
  }

  /** Stops polling and waits (up to 30 s) until the poll in progress is handled and the consumer closed. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void rewind(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition p : records.partitions()) {
      consumer.seek(p, records.records(p).get(0).offset());
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition p : records.partitions()) {
      var list = records.records(p);
      offsets.put(p, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
    }
    return offsets;
  }

  private void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis()); // production back-off after a database failure, not a test wait
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
