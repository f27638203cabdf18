package org.cjassessment.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.RetriableException;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of the relay, in one database transaction: claim up to {@code batchSize} due PENDING rows (at most one
 * per topic and key, see {@link RelayQueries#claim}); send them all, so the producer batches them; flush; wait for
 * each row's own acknowledgement, until {@code ackTimeout}; settle: acknowledged rows become PUBLISHED, failed rows
 * get attempts + 1 and a backoff, or become DEAD at {@code maxAttempts} — but only when the failure is the record's
 * own (see {@link #isOutage}); a broker outage never makes a row DEAD, it keeps retrying at the capped backoff; commit. A crash anywhere before the commit
 * leaves the rows PENDING, so they are sent again with the same event id. {@code PublishRoundTest} is the example.
 *
 * <p>It neither loops nor reports: {@link OutboxRelay} runs rounds, {@link RelayReport} reports a round after its
 * commit, so metrics and logs never run ahead of the table.
 */
final class PublishRound {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class); // one logger for the relay

  private final String name;
  private final Producer<byte[], byte[]> producer;
  private final Clock clock;
  private final int batchSize;
  private final int claimWindow; // oldest PENDING rows the claim walks before looking for heads past them
  private final int maxAttempts;
  private final Backoff backoff;
  private final Duration ackTimeout;

  PublishRound(String name, Producer<byte[], byte[]> producer, Clock clock, int batchSize, int maxAttempts,
      Backoff backoff, Duration ackTimeout) {
    this.name = name;
    this.producer = producer;
    this.clock = clock;
    this.batchSize = batchSize;
    this.claimWindow = 2 * batchSize;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.ackTimeout = ackTimeout;
  }

  /** Runs one round in a transaction of its own on {@code h}; the result is committed when this returns. */
  Result run(Handle h) throws InterruptedException {
    return h.inTransaction(
        tx -> {
          List<ClaimedRow> rows = RelayQueries.claim(tx, clock.instant(), batchSize, claimWindow);
          if (rows.isEmpty()) {
            return Result.EMPTY;
          }
          List<Delivery> deliveries = send(rows);
          try {
            producer.flush();
          } catch (RuntimeException e) {
            // each row's future carries its own outcome; a flush failure alone decides nothing
            log.debug("{}: producer flush failed: {}", name, OutboxRelay.oneLine(e));
          }
          return settle(tx, deliveries);
        });
  }

  /** Whether more rows are likely claimable right away after this round. */
  boolean leftWork(Result result) {
    // a full round may have left due rows behind; a settled head may have unblocked the next row of its key
    return result.claimed() == batchSize || result.unblocksSuccessor();
  }

  private List<Delivery> send(List<ClaimedRow> rows) {
    List<Delivery> deliveries = new ArrayList<>(rows.size());
    // send() blocks up to max.block.ms per record when a topic's metadata cannot be fetched; after the first such
    // failure the rest of that topic's rows in this round fail the same way without blocking again
    Map<String, Throwable> unreachable = new HashMap<>();
    for (ClaimedRow row : rows) {
      Throwable topicFailure = unreachable.get(row.topic());
      Delivery delivery =
          topicFailure != null
              ? Delivery.notSent(row,
                  new OutboxException("not sent: " + OutboxRelay.oneLine(topicFailure), topicFailure))
              : Delivery.send(producer, row, clock);
      if (delivery.failedImmediatelyWith(org.apache.kafka.common.errors.TimeoutException.class)) {
        unreachable.put(row.topic(), delivery.immediateFailure());
      }
      deliveries.add(delivery);
    }
    return deliveries;
  }

  private Result settle(Handle tx, List<Delivery> deliveries) throws InterruptedException {
    long deadline = System.nanoTime() + ackTimeout.toNanos();
    List<Delivery> acked = new ArrayList<>();
    List<Delivery> failed = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Delivery d : deliveries) {
      Throwable error = d.await(deadline, ackTimeout);
      if (error == null) {
        acked.add(d);
      } else {
        d.error = error;
        failed.add(d);
        errors.add(OutboxRelay.oneLine(error));
      }
    }
    Instant now = clock.instant();
    if (!acked.isEmpty()) {
      List<Long> ids = acked.stream().map(d -> d.row.id()).toList();
      int marked = RelayQueries.markPublished(tx, ids, now);
      if (marked != ids.size()) {
        // we hold these rows' locks, so this is a broken invariant: roll back, the rows will be sent again
        throw new OutboxException(
            name + ": marked " + marked + " of " + ids.size() + " acknowledged rows published (ids " + ids
                + "); rolling back so they are re-sent");
      }
    }
    List<Failure> failures = new ArrayList<>(failed.size());
    for (int i = 0; i < failed.size(); i++) {
      ClaimedRow row = failed.get(i).row;
      int attempts = row.attempts() + 1;
      boolean dead = attempts >= maxAttempts && !isOutage(failed.get(i).error);
      Instant next = dead ? null : now.plus(backoff.delayAfter(attempts, ThreadLocalRandom.current().nextDouble()));
      int marked =
          RelayQueries.markFailed(
              tx, row.id(), dead ? OutboxStatus.DEAD : OutboxStatus.PENDING, attempts, next, now, errors.get(i));
      if (marked != 1) {
        throw new OutboxException(name + ": could not record the failure of " + row.describe() + "; rolling back");
      }
      failures.add(new Failure(row, errors.get(i), attempts, dead, next));
    }
    return new Result(deliveries.size(), acked, failures);
  }

  /**
   * Whether a failure says the broker is unavailable rather than that it refuses this record: a Kafka
   * {@link RetriableException} anywhere in the cause chain (timeouts, disconnects, not enough replicas, no leader,
   * no acknowledgement in time). Such a failure would go away by itself once the broker is back, so it must not
   * make a row DEAD: completion, result and billing events would otherwise be stranded by any outage longer than the
   * retry ladder. Everything else (record too large, serialization, authorization, a closed producer) counts.
   */
  static boolean isOutage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  /**
   * A failed attempt as recorded.
   *
   * @param nextAttemptAt when the row is due again; null when it is DEAD
   */
  record Failure(ClaimedRow row, String error, int attempts, boolean dead, Instant nextAttemptAt) {}

  /** What a committed round did. */
  record Result(int claimed, List<Delivery> acked, List<Failure> failures) {
    static final Result EMPTY = new Result(0, List.of(), List.of());

    /** A row left PENDING (retry) keeps its successor blocked; a published or dead one frees it. */
    boolean unblocksSuccessor() {
      return acked.stream().anyMatch(d -> d.row.hasSuccessor())
          || failures.stream().anyMatch(f -> f.dead() && f.row().hasSuccessor());
    }
  }
}
