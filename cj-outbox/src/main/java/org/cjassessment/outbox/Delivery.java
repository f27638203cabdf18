package org.cjassessment.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/** One claimed row in flight: its send, and the broker's answer once the round waits for it. */
final class Delivery {

  final ClaimedRow row;
  private Future<RecordMetadata> future;
  private Throwable sendError;
  private volatile Instant ackedAt; // set on the producer's I/O thread
  private boolean alreadyDelivered;
  Throwable error; // why this attempt failed, once settled; null if acknowledged

  private Delivery(ClaimedRow row) {
    this.row = row;
  }

  static Delivery send(Producer<byte[], byte[]> producer, ClaimedRow row, Clock clock) {
    Delivery delivery = new Delivery(row);
    try {
      delivery.future =
          producer.send(
              OutboxRecords.toRecord(row),
              (metadata, exception) -> {
                if (exception == null) {
                  delivery.ackedAt = clock.instant();
                }
              });
    } catch (RuntimeException e) {
      delivery.sendError = e;
    }
    return delivery;
  }

  static Delivery notSent(ClaimedRow row, Throwable reason) {
    Delivery delivery = new Delivery(row);
    delivery.sendError = reason;
    return delivery;
  }

  /** A possibly sent row whose record the {@link DeliveryCheck} found on the broker: settled as acknowledged, unsent. */
  static Delivery alreadyDelivered(ClaimedRow row) {
    Delivery delivery = new Delivery(row);
    delivery.alreadyDelivered = true;
    return delivery;
  }

  boolean isAlreadyDelivered() {
    return alreadyDelivered;
  }

  /** When the producer saw the acknowledgement (null if it has not, or the callback has not run yet). */
  Instant ackedAt() {
    return ackedAt;
  }

  Throwable immediateFailure() {
    if (sendError != null) {
      return sendError;
    }
    if (future.isDone()) {
      try {
        future.get();
      } catch (ExecutionException e) {
        return e.getCause() != null ? e.getCause() : e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return null;
  }

  boolean failedImmediatelyWith(Class<? extends Throwable> type) {
    return type.isInstance(immediateFailure());
  }

  /** {@code null} once the broker acknowledged this row; otherwise why not. */
  Throwable await(long deadlineNanos, Duration ackTimeout) throws InterruptedException {
    if (alreadyDelivered) {
      return null;
    }
    if (sendError != null) {
      return sendError;
    }
    try {
      future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause() != null ? e.getCause() : e;
    } catch (TimeoutException e) {
      // Kafka's own (retriable) TimeoutException: no answer in time is an outage, not a verdict on the record
      return new org.apache.kafka.common.errors.TimeoutException(
          "no broker acknowledgement within ackTimeout " + ackTimeout);
    }
  }
}
