package org.cjassessment.judge;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.cjassessment.judge.wire.ComparisonCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends callbacks with an idempotent producer ({@code acks=all}) and reports each one once the broker acknowledged
 * it. A send the producer gave up on (delivery timeout) is sent again after a back-off for as long as the worker
 * runs: the request's offset is not committed before, so a stop in between re-judges it instead of losing it.
 */
final class CallbackPublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackPublisher.class);
  private static final long MAX_BACKOFF_MILLIS = 30_000;

  private final Producer<byte[], byte[]> producer;
  private final BooleanSupplier running;
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "judge-callback-retry");
    t.setDaemon(true);
    return t;
  });
  private final Object signal = new Object();

  CallbackPublisher(Producer<byte[], byte[]> producer, BooleanSupplier running) {
    this.producer = producer;
    this.running = running;
  }

  /** {@code acknowledged} runs once, after the broker acknowledged the record. */
  void send(ComparisonCallback.Message message, Runnable acknowledged) {
    send(message, acknowledged, 200);
  }

  private void send(ComparisonCallback.Message message, Runnable acknowledged, long backoffMillis) {
    RecordHeaders headers = new RecordHeaders();
    message.headers().forEach((k, v) -> headers.add(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(message.topic(), null,
        message.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), message.value(), headers);
    try {
      producer.send(record, (metadata, error) -> {
        if (error == null) {
          acknowledged.run();
          synchronized (signal) {
            signal.notifyAll();
          }
        } else {
          retry(message, acknowledged, backoffMillis, error);
        }
      });
    } catch (RuntimeException e) {
      retry(message, acknowledged, backoffMillis, e);
    }
  }

  private void retry(ComparisonCallback.Message message, Runnable acknowledged, long backoffMillis, Throwable e) {
    if (!running.getAsBoolean()) {
      LOG.warn("callback for {} not sent before stop ({}); the request will be judged again", message.key(),
          e.toString());
      return;
    }
    LOG.warn("callback for {} to {} failed ({}); retrying in {} ms", message.key(), message.topic(), e.toString(),
        backoffMillis);
    try {
      retries.schedule(() -> send(message, acknowledged, Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2)),
          backoffMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      LOG.warn("callback for {} dropped at shutdown; the request will be judged again", message.key());
    }
  }

  /** Waits until an acknowledgement arrives or the time passes (the poll thread's wait while draining). */
  void awaitSomething(Duration max) {
    synchronized (signal) {
      try {
        signal.wait(Math.max(1, max.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    retries.shutdownNow();
    producer.close(Duration.ofSeconds(10));
  }
}
