package org.cjassessment.service.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.cjassessment.service.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Poll → handle the whole poll → commit offsets, on one thread. Offsets are committed only after the handler
 * returned (its database transaction committed). When the handler throws, {@link Failures} decides:
 * <ul>
 *   <li>a transient failure (database or broker away, a cancelled statement) rewinds to the first record of the poll
 *       and retries after a back-off, so nothing is skipped;</li>
 *   <li>any other failure means some record of the poll cannot be applied, ever (a NUL byte PostgreSQL cannot store,
 *       a key too large for an index, a bug): the poll is retried record by record, the records that fail on their
 *       own are handed to {@link PollHandler#reject} (the dead-letter topic) and the others are applied, so one
 *       poisoned record never blocks its partition.</li>
 * </ul>
 */
public final class ConsumerLoop implements Runnable, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

  /** Handles one poll; throwing means "not processed" (nothing of it may stay applied). */
  public interface PollHandler {
    void handle(ConsumerRecords<byte[], byte[]> records) throws Exception;

    /**
     * A record that failed on its own with a permanent failure: dead-letter it with the reason (which holds no input
     * text). Throwing means the record could not be put aside: the loop rewinds to it and retries later.
     */
    void reject(ConsumerRecord<byte[], byte[]> record, String reason) throws Exception;
  }

  private final String name;
  private final Consumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final PollHandler handler;
  private volatile boolean running = true;
  private volatile boolean healthy = false;
  /** Partitions the group gave this consumer; read by readiness from another thread. */
  private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
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
      consumer.subscribe(topics, new OwnedPartitions());
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(250));
        healthy = true;
        if (records.isEmpty()) {
          continue;
        }
        boolean done;
        try {
          handler.handle(records);
          consumer.commitSync(nextOffsets(records));
          done = true;
        } catch (WakeupException e) {
          throw e;
        } catch (Exception e) {
          if (Failures.isTransient(e)) {
            LOG.error("{}: could not process {} records ({}), retrying in {} ms", name, records.count(),
                Failures.describe(e), backoff.toMillis(), e);
            rewind(records, Map.of());
            done = false;
          } else {
            LOG.warn("{}: a poll of {} records failed ({}); retrying it record by record", name, records.count(),
                Failures.describe(e));
            done = oneByOne(records);
          }
        }
        if (done) {
          backoff = Duration.ofMillis(200);
        } else {
          healthy = false;
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
      owned.clear();
      // An orderly stop leaves the group at once, so the others take the partitions now; a static member
      // (group.instance.id) would otherwise keep them for session.timeout.ms. A crash (kill -9) cannot leave: its
      // partitions wait for the same instance id to come back (see README, "Restarts").
      consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
          .withTimeout(Duration.ofSeconds(5)));
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

  /**
   * Whether the group has assigned this consumer at least one partition. False while it joins (after a start or a
   * crash of another member) and for an instance beyond the topic's partition count, which stays idle.
   */
  public boolean ownsPartitions() {
    return !owned.isEmpty();
  }

  /** Records what the group assigned (called on the loop's thread, inside poll). */
  private final class OwnedPartitions implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      owned.addAll(partitions);
      LOG.info("{}: assigned {} partition(s), {} owned", name, partitions.size(), owned.size());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      owned.removeAll(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      owned.removeAll(partitions);
    }
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

  /**
   * Handles each record of the poll as a poll of its own, in offset order per partition. Returns false if a
   * transient failure stopped it: the records handled so far are committed and the consumer is rewound to the first
   * one not handled.
   */
  private boolean oneByOne(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    for (TopicPartition p : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> record : records.records(p)) {
        try {
          handler.handle(new ConsumerRecords<>(Map.of(p, List.of(record)),
              Map.of(p, new OffsetAndMetadata(record.offset() + 1))));
        } catch (WakeupException e) {
          commitAndRewind(records, handled);
          throw e;
        } catch (Exception e) {
          if (Failures.isTransient(e)) {
            LOG.error("{}: could not process {}-{}@{} ({}), retrying", name, p.topic(), p.partition(),
                record.offset(), Failures.describe(e), e);
            commitAndRewind(records, handled);
            return false;
          }
          String reason = "could not be applied: " + Failures.describe(e);
          LOG.error("{}: {}-{}@{} fails on its own, putting it aside: {}", name, p.topic(), p.partition(),
              record.offset(), reason, e);
          try {
            handler.reject(record, reason);
          } catch (Exception deadLetterFailure) {
            LOG.error("{}: could not put {}-{}@{} aside, retrying", name, p.topic(), p.partition(), record.offset(),
                deadLetterFailure);
            commitAndRewind(records, handled);
            return false;
          }
        }
        handled.put(p, new OffsetAndMetadata(record.offset() + 1));
      }
    }
    consumer.commitSync(handled);
    return true;
  }

  private void commitAndRewind(ConsumerRecords<byte[], byte[]> records,
      Map<TopicPartition, OffsetAndMetadata> handled) {
    if (!handled.isEmpty()) {
      consumer.commitSync(handled);
    }
    rewind(records, handled);
  }

  /** Seeks every partition of the poll back to its first record not in {@code handled}. */
  private void rewind(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, OffsetAndMetadata> handled) {
    for (TopicPartition p : records.partitions()) {
      OffsetAndMetadata next = handled.get(p);
      consumer.seek(p, next != null ? next.offset() : records.records(p).get(0).offset());
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
