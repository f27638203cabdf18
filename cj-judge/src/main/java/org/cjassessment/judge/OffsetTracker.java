package org.cjassessment.judge;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed while records are answered out of order: per partition, the offset after the last
 * record of an unbroken run of answered (callback acknowledged) records. A record still being judged holds back the
 * commit of everything after it, so a crash re-judges it and those behind it — never skips one. Used by the poll
 * thread only.
 */
final class OffsetTracker {

  private final Map<TopicPartition, TreeSet<Long>> pending = new HashMap<>();
  private final Map<TopicPartition, Long> nextAfterSeen = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  void started(TopicPartition partition, long offset) {
    pending.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
    nextAfterSeen.merge(partition, offset + 1, Math::max);
  }

  void done(TopicPartition partition, long offset) {
    TreeSet<Long> set = pending.get(partition);
    if (set != null) {
      set.remove(offset);
    }
  }

  /** Offsets that advanced since the last call; marks them committed. */
  Map<TopicPartition, OffsetAndMetadata> toCommit() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> e : nextAfterSeen.entrySet()) {
      TreeSet<Long> set = pending.get(e.getKey());
      long next = set == null || set.isEmpty() ? e.getValue() : set.first();
      Long last = committed.get(e.getKey());
      if (last == null || next > last) {
        out.put(e.getKey(), new OffsetAndMetadata(next));
      }
    }
    return out;
  }

  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((p, o) -> committed.merge(p, o.offset(), Math::max));
  }

  int pending(TopicPartition partition) {
    TreeSet<Long> set = pending.get(partition);
    return set == null ? 0 : set.size();
  }

  /** Forgets a partition this consumer no longer owns. */
  void forget(TopicPartition partition) {
    pending.remove(partition);
    nextAfterSeen.remove(partition);
    committed.remove(partition);
  }
}
