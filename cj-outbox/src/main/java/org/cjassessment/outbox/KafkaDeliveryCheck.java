package org.cjassessment.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DeliveryCheck} on the broker, with one consumer reused for every round (assigned partitions, no group, no
 * commits). For each possibly sent row: the partition its key maps to, by the producer's own partitioner function
 * ({@link BuiltInPartitioner#partitionForKey}, what {@code KafkaProducer} calls for a keyed record without a
 * partition) over the partition count from the producer's own metadata; then per partition, once for all its rows
 * of the round: {@code offsetsForTimes} at the earliest first send minus {@link #CLOCK_SKEW_MARGIN}, and a scan up
 * to the end offset for records whose {@code event_id} header is one of the rows'.
 *
 * <p>Why the time: the producer stamps a record when {@code send()} is called, after the marker committed with the
 * database's clock, so a delivered record is never older than the first send minus the skew between the relay's
 * and the database's clocks (or, for a topic with {@code LogAppendTime}, the broker's). Bounded: a partition with
 * more than {@link #MAX_SCAN_RECORDS} records past that point is not scanned, its rows are sent again.
 *
 * <p>Limits, where it answers "not found" and the row is sent again (at-least-once stays the floor): a custom
 * {@code partitioner.class} on the relay's producer, partitions added to the topic since the send, a record already
 * deleted by the topic's retention, or one written to the leader but not yet replicated (above the high watermark).
 */
final class KafkaDeliveryCheck implements DeliveryCheck {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class); // one logger for the relay

  /** Allowed difference between the database's clock and the producer's (or broker's) when seeking by time. */
  static final Duration CLOCK_SKEW_MARGIN = Duration.ofMinutes(1);

  /** Records one check reads at most per partition; more and the rows on that partition are sent again. */
  static final long MAX_SCAN_RECORDS = 50_000;

  private static final Duration POLL = Duration.ofMillis(100);

  private final String name;
  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;

  KafkaDeliveryCheck(String name, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer) {
    this.name = name;
    this.consumer = consumer;
    this.producer = producer;
  }

  @Override
  public Set<Long> alreadyDelivered(List<ClaimedRow> rows, Duration budget) {
    if (rows.isEmpty()) {
      return Set.of();
    }
    long deadline = System.nanoTime() + budget.toNanos();
    Map<TopicPartition, Wanted> byPartition = new HashMap<>();
    Map<String, Integer> partitionCounts = new HashMap<>();
    for (ClaimedRow row : rows) {
      // partitionsFor blocks up to max.block.ms and throws Kafka's (retriable) TimeoutException if unreachable
      int count = partitionCounts.computeIfAbsent(row.topic(), t -> producer.partitionsFor(t).size());
      TopicPartition tp = new TopicPartition(row.topic(), BuiltInPartitioner.partitionForKey(
          row.key().getBytes(UTF_8), count));
      byPartition.computeIfAbsent(tp, p -> new Wanted()).add(row);
    }
    Map<TopicPartition, Long> times = new HashMap<>();
    byPartition.forEach((tp, w) -> times.put(tp, w.seekTime()));
    Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times, remaining(deadline));
    Map<TopicPartition, Long> ends = consumer.endOffsets(byPartition.keySet(), remaining(deadline));
    Map<TopicPartition, Long> scan = new HashMap<>();
    for (Map.Entry<TopicPartition, Wanted> e : byPartition.entrySet()) {
      TopicPartition tp = e.getKey();
      OffsetAndTimestamp start = starts.get(tp);
      long end = ends.getOrDefault(tp, 0L);
      if (start == null || start.offset() >= end) {
        continue; // no record at or after the first send: not delivered
      }
      if (end - start.offset() > MAX_SCAN_RECORDS) {
        log.warn("{}: not looking for {} on {}: {} records since its first send (limit {}); sending again, consumers"
            + " deduplicate by event_id", name, e.getValue().describe(), tp, end - start.offset(),
            MAX_SCAN_RECORDS);
        continue;
      }
      scan.put(tp, start.offset());
    }
    return scan.isEmpty() ? Set.of() : scan(scan, ends, byPartition, deadline);
  }

  private Set<Long> scan(Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends,
      Map<TopicPartition, Wanted> byPartition, long deadline) {
    Set<Long> found = new HashSet<>();
    Set<TopicPartition> open = new HashSet<>(starts.keySet());
    long read = 0;
    try {
      consumer.assign(open);
      starts.forEach(consumer::seek);
      while (!open.isEmpty()) {
        if (System.nanoTime() - deadline >= 0) {
          if (read == 0) {
            // the broker answered the offset lookups, then sent nothing: treat it as unavailable (retried later)
            throw new TimeoutException("delivery check: no records from " + open + " within the round's budget");
          }
          // records came, just not all of them in time: a scan this slow would not be faster next time, so do not
          // keep the rows (and their keys) waiting for it; send what was not found
          log.warn("{}: delivery check read {} records but not {} to the end within the round's budget; sending"
              + " what it did not find, consumers deduplicate by event_id", name, read, open);
          return found;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          read++;
          Long id = byPartition.get(new TopicPartition(record.topic(), record.partition())).idOf(record);
          if (id != null) {
            found.add(id);
          }
        }
        List<TopicPartition> done = new ArrayList<>();
        for (TopicPartition tp : open) {
          if (consumer.position(tp, remaining(deadline)) >= ends.get(tp) || byPartition.get(tp).allIn(found)) {
            done.add(tp);
          }
        }
        done.forEach(open::remove);
        if (!done.isEmpty()) {
          consumer.pause(done);
        }
      }
    } finally {
      consumer.assign(List.of()); // no fetching between rounds
    }
    return found;
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  /** The rows one partition is searched for. */
  private static final class Wanted {
    private final Map<String, Long> idByEventId = new HashMap<>();
    private long earliestFirstSend = Long.MAX_VALUE;

    void add(ClaimedRow row) {
      idByEventId.put(row.eventId().toString(), row.id());
      earliestFirstSend = Math.min(earliestFirstSend, row.previousSend().firstSentAt().toEpochMilli());
    }

    long seekTime() {
      return Math.max(0, earliestFirstSend - CLOCK_SKEW_MARGIN.toMillis());
    }

    Long idOf(ConsumerRecord<byte[], byte[]> record) {
      Header eventId = record.headers().lastHeader(OutboxMessage.EVENT_ID);
      return eventId == null ? null : idByEventId.get(new String(eventId.value(), UTF_8));
    }

    boolean allIn(Set<Long> found) {
      return found.containsAll(idByEventId.values());
    }

    String describe() {
      return idByEventId.size() == 1 ? "event_id " + idByEventId.keySet().iterator().next()
          : idByEventId.size() + " events";
    }
  }
}
