package org.cjassessment.app.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.cjassessment.outbox.RelayMetrics;

/** The outbox relay's reports as Micrometer meters. */
final class OutboxMetrics implements RelayMetrics {

  private final MeterRegistry registry;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong oldestPendingMillis = new AtomicLong();

  OutboxMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("cj_outbox_pending_rows", pending);
    registry.gauge("cj_outbox_oldest_pending_seconds", oldestPendingMillis, v -> v.get() / 1000.0);
  }

  @Override
  public void published(String topic, String eventType, Duration appendToAck) {
    Timer.builder("cj_outbox_append_to_ack").tag("event_type", eventType).publishPercentileHistogram()
        .register(registry).record(appendToAck);
  }

  @Override
  public void alreadyDelivered(String topic, String eventType) {
    registry.counter("cj_outbox_already_delivered_total", "event_type", eventType).increment();
  }

  @Override
  public void publishFailed(String topic, String eventType, int failedAttempts) {
    registry.counter("cj_outbox_publish_failures_total", "event_type", eventType).increment();
  }

  @Override
  public void dead(String topic, String eventType) {
    registry.counter("cj_outbox_dead_total", "event_type", eventType).increment();
  }

  @Override
  public void backlog(long pendingRows, Duration oldestPendingAge) {
    pending.set(pendingRows);
    oldestPendingMillis.set(oldestPendingAge.toMillis());
  }

  @Override
  public void relayError(Throwable error) {
    registry.counter("cj_outbox_relay_errors_total").increment();
  }
}
