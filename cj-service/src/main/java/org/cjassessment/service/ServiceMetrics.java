package org.cjassessment.service;

import io.micrometer.core.instrument.MeterRegistry;
import org.cjassessment.core.batch.Decision;
import org.cjassessment.core.batch.Trigger;
import org.cjassessment.service.batch.BatchAdvancer;
import org.cjassessment.service.kafka.CallbackHandler;
import org.cjassessment.service.kafka.DeadLetters;

/** Micrometer counters behind the service's listener hooks. */
public final class ServiceMetrics implements BatchAdvancer.Listener, CallbackHandler.Listener, DeadLetters.Listener {

  private final MeterRegistry registry;

  public ServiceMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void decided(Trigger trigger, Decision decision) {
    registry.counter("cj_advance_total", "trigger", trigger.name(), "decision",
        decision.getClass().getSimpleName()).increment();
    if (decision instanceof Decision.Finalize f) {
      registry.counter("cj_batches_finished_total", "result", f.outcome().name()).increment();
    } else if (decision instanceof Decision.Fail f) {
      registry.counter("cj_batches_finished_total", "result", "FAILED_" + f.reason().name()).increment();
    } else if (decision instanceof Decision.AlreadyTerminal) {
      registry.counter("cj_advance_already_terminal_total", "trigger", trigger.name()).increment();
    }
  }

  @Override
  public void callbacks(int applied, int duplicates, int late, int rejected) {
    registry.counter("cj_callbacks_total", "result", "applied").increment(applied);
    registry.counter("cj_callbacks_total", "result", "duplicate").increment(duplicates);
    registry.counter("cj_callbacks_total", "result", "late").increment(late);
    registry.counter("cj_callbacks_total", "result", "rejected").increment(rejected);
  }

  @Override
  public void deadLettered(String sourceTopic) {
    registry.counter("cj_dead_letters_total", "source_topic", sourceTopic).increment();
  }
}
