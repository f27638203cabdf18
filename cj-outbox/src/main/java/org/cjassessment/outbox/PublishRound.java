package org.cjassessment.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.RetriableException;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of the relay, in one database transaction: claim up to {@code batchSize} due PENDING rows (at most one
 * per topic and key, see {@link RelayQueries#claim}); commit a marker for each of them on another connection, which
 * also tells which were sent before; look on the broker for those (see "Possibly sent" below); send the rest, all
 * at once, so the producer batches them; flush; wait for each row's own acknowledgement, until {@code ackTimeout}; settle: acknowledged rows (and rows
 * found on the broker) become PUBLISHED, failed rows get attempts + 1 and a backoff, or become DEAD at
 * {@code maxAttempts} — but only when the failure is the record's own (see {@link #isOutage}); a broker outage never
 * makes a row DEAD, it keeps retrying at the capped backoff; commit. {@code PublishRoundTest} is the example.
 *
 * <h2>Possibly sent</h2>
 * A crash (or a lost commit, or a PostgreSQL restart) between the broker's acknowledgement and the PUBLISHED commit
 * rolls the round back: the row is PENDING again although the broker has its record. So before the first byte of a
 * row leaves, a marker row in {@code outbox_sends} is committed on a connection of its own ({@link SendLog}, one
 * statement that also returns the markers found); the PUBLISHED commit deletes it. A claimed row with a marker is "possibly sent" — its relay died or lost its commit
 * mid-send, or its last attempt failed (a timeout may have reached the broker all the same) — and is looked for on
 * the destination partition first ({@link DeliveryCheck}): found, it is marked PUBLISHED without sending; not found,
 * or not checkable at a bounded cost, it is sent (when in doubt, send: at-least-once is the floor); broker not
 * answering, the attempt fails as an outage. Fresh rows have no marker: their round pays one extra statement (an
 * auto-commit that does not wait for the disk), never a broker lookup. Rows are claimed under {@code FOR UPDATE SKIP LOCKED}, so whichever relay
 * instance claims a row next (another instance, or this one after a restart) sees the marker: a marker is committed
 * before the send, and the row lock of the relay that wrote it is gone before anyone else can claim the row.
 *
 * <p>One race stays: a relay killed while its request is still on the way to (or queued in) the broker, and another
 * relay claiming the row at once, would look before the record lands. So a row whose last send was never settled
 * ({@link ClaimedRow.PreviousSend#inFlight}: not settled, started less than {@code inFlightGrace} ago) is put back
 * until then, without counting an attempt and without touching its marker.
 *
 * <p>It neither loops nor reports: {@link OutboxRelay} runs rounds, {@link RelayReport} reports a round after its
 * commit, so metrics and logs never run ahead of the table.
 */
final class PublishRound implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class); // one logger for the relay

  private final String name;
  private final Producer<byte[], byte[]> producer;
  private final Clock clock;
  private final int batchSize;
  private final int claimWindow; // oldest PENDING rows the claim walks before looking for heads past them
  private final int maxAttempts;
  private final Backoff backoff;
  private final Duration ackTimeout;
  private final DeliveryCheck check;
  private final SendLog sends;
  private final Duration inFlightGrace;

  PublishRound(String name, Producer<byte[], byte[]> producer, Clock clock, int batchSize, int maxAttempts,
      Backoff backoff, Duration ackTimeout, DeliveryCheck check, SendLog sends, Duration inFlightGrace) {
    this.name = name;
    this.producer = producer;
    this.clock = clock;
    this.batchSize = batchSize;
    this.claimWindow = 2 * batchSize;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.ackTimeout = ackTimeout;
    this.check = check;
    this.sends = sends;
    this.inFlightGrace = inFlightGrace;
  }

  /** Runs one round in a transaction of its own on {@code h}; the result is committed when this returns. */
  Result run(Handle h) throws InterruptedException {
    return h.inTransaction(
        tx -> {
          List<ClaimedRow> claimed = RelayQueries.claim(tx, clock.instant(), batchSize, claimWindow);
          if (claimed.isEmpty()) {
            return Result.EMPTY;
          }
          // markers committed before anything leaves; if this fails, the round fails unsent
          List<ClaimedRow> rows = sends.begin(claimed, inFlightGrace);
          List<ClaimedRow> fresh = new ArrayList<>();
          List<ClaimedRow> possiblySent = new ArrayList<>();
          List<ClaimedRow> deferred = new ArrayList<>();
          for (ClaimedRow row : rows) {
            (!row.possiblySent() ? fresh : row.previousSend().inFlight() ? deferred : possiblySent).add(row);
          }
          defer(tx, deferred);
          List<Delivery> deliveries = new ArrayList<>(rows.size());
          List<ClaimedRow> toSend = new ArrayList<>(fresh);
          lookBeforeResending(possiblySent, deliveries, toSend);
          deliveries.addAll(send(toSend));
          try {
            producer.flush();
          } catch (RuntimeException e) {
            // each row's future carries its own outcome; a flush failure alone decides nothing
            log.debug("{}: producer flush failed: {}", name, OutboxRelay.oneLine(e));
          }
          deliveries.sort(Comparator.comparingLong(d -> d.row.id()));
          return settle(tx, deliveries, deferred);
        });
  }

  private void defer(Handle tx, List<ClaimedRow> rows) {
    for (ClaimedRow row : rows) {
      Instant due = clock.instant().plus(inFlightGrace.minus(row.previousSend().sinceLastSend()));
      if (RelayQueries.defer(tx, row.id(), due) != 1) {
        throw new OutboxException(name + ": could not put back " + row.describe() + "; rolling back");
      }
    }
  }

  /**
   * Rows found on the broker become deliveries that need no send; the rest join {@code toSend}. If the broker does
   * not answer, they fail this attempt as in an outage (the check's error is retriable); if the check cannot be
   * made at all (e.g. the relay may not read the topic), they are sent.
   */
  private void lookBeforeResending(List<ClaimedRow> rows, List<Delivery> deliveries, List<ClaimedRow> toSend) {
    if (rows.isEmpty()) {
      return;
    }
    Set<Long> found;
    try {
      found = check.alreadyDelivered(rows, ackTimeout);
    } catch (RuntimeException e) {
      if (isOutage(e)) {
        for (ClaimedRow row : rows) {
          deliveries.add(Delivery.notSent(row,
              new OutboxException("not sent: could not look for it on the broker: " + OutboxRelay.oneLine(e), e)));
        }
        return;
      }
      log.warn("{}: could not look for {} possibly sent row(s) on the broker ({}); sending them again, consumers"
          + " deduplicate by event_id", name, rows.size(), OutboxRelay.oneLine(e));
      found = Set.of();
    }
    for (ClaimedRow row : rows) {
      if (found.contains(row.id())) {
        deliveries.add(Delivery.alreadyDelivered(row));
      } else {
        toSend.add(row);
      }
    }
  }

  @Override
  public void close() {
    sends.close();
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

  private Result settle(Handle tx, List<Delivery> deliveries, List<ClaimedRow> deferred)
      throws InterruptedException {
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
    return new Result(deliveries.size() + deferred.size(), acked, failures, deferred);
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

  /**
   * What a committed round did.
   *
   * @param acked rows acknowledged by the broker or found on it ({@link Delivery#alreadyDelivered}), now PUBLISHED
   * @param deferred possibly sent rows put back until their earlier send can no longer be in flight
   */
  record Result(int claimed, List<Delivery> acked, List<Failure> failures, List<ClaimedRow> deferred) {
    static final Result EMPTY = new Result(0, List.of(), List.of(), List.of());

    /** A row left PENDING (retry) keeps its successor blocked; a published or dead one frees it. */
    boolean unblocksSuccessor() {
      return acked.stream().anyMatch(d -> d.row.hasSuccessor())
          || failures.stream().anyMatch(f -> f.dead() && f.row().hasSuccessor());
    }
  }
}
