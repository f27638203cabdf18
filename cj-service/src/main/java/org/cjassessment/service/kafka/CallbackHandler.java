package org.cjassessment.service.kafka;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.batch.BatchAdvancer;
import org.cjassessment.service.callback.CallbackIngestor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A poll of comparison results: one transaction for all of them, dead letters for the unusable ones, then
 * {@code advance(WAVE_COMPLETE)} for every batch whose wave the poll completed — after the commit, on the
 * {@code advances} executor so that a finalization (fit, grades, events) never holds up ingestion. If the process
 * dies before an advance ran, the monitor sweep finds the completed wave and advances it.
 */
public final class CallbackHandler implements ConsumerLoop.PollHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackHandler.class);

  /** Counts callbacks by what happened to them; no-op by default. */
  public interface Listener {
    default void callbacks(int applied, int duplicates, int late, int rejected) {}
  }

  private final CallbackIngestor ingestor;
  private final BatchAdvancer advancer;
  private final DeadLetters deadLetters;
  private final Listener listener;
  private final java.util.concurrent.Executor advances;

  public CallbackHandler(CallbackIngestor ingestor, BatchAdvancer advancer, DeadLetters deadLetters,
      Listener listener, java.util.concurrent.Executor advances) {
    this.ingestor = ingestor;
    this.advancer = advancer;
    this.deadLetters = deadLetters;
    this.listener = listener;
    this.advances = advances;
  }

  @Override
  public void reject(ConsumerRecord<byte[], byte[]> record, String reason) {
    deadLetters.send(record, reason);
    listener.callbacks(0, 0, 0, 1);
  }

  @Override
  public void handle(ConsumerRecords<byte[], byte[]> records) {
    List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(records.count());
    records.forEach(list::add);
    List<byte[]> values = new ArrayList<>(list.size());
    for (ConsumerRecord<byte[], byte[]> r : list) {
      values.add(r.value() == null ? new byte[0] : r.value());
    }
    CallbackIngestor.Outcome outcome = ingestor.ingest(values);
    for (CallbackIngestor.Rejected rejected : outcome.rejected()) {
      deadLetters.send(list.get(rejected.index()), rejected.reason());
    }
    listener.callbacks(outcome.applied(), outcome.duplicates(), outcome.late(), outcome.rejected().size());
    for (long batchId : outcome.waveComplete()) {
      advances.execute(() -> {
        try {
          advancer.advance(batchId, Trigger.WAVE_COMPLETE);
        } catch (RuntimeException e) {
          // The callbacks are committed; the monitor sweep will advance this batch.
          LOG.error("advance of batch {} after its wave completed failed; the monitor will retry", batchId, e);
        }
      });
    }
  }
}
