package org.cjassessment.judge.http;

import java.util.concurrent.TimeUnit;

/**
 * Spaces requests to at most {@code requestsPerMinute} (evenly: one every 60 s / rpm, no bursts) and holds every
 * request while a provider has said to wait (a 429's retry-after or reset headers apply to the whole account, not
 * only to the call that saw them). Reservation-based: a caller learns how long to wait and schedules itself, no
 * thread sleeps here.
 */
public final class RequestPacer {

  private final long intervalNanos;
  private long nextFree;
  private long holdUntil;

  /** @param requestsPerMinute 0 = no rate cap */
  public RequestPacer(int requestsPerMinute) {
    if (requestsPerMinute < 0) {
      throw new IllegalArgumentException("requests per minute must be >= 0, was " + requestsPerMinute);
    }
    this.intervalNanos = requestsPerMinute == 0 ? 0 : TimeUnit.MINUTES.toNanos(1) / requestsPerMinute;
    long now = System.nanoTime();
    this.nextFree = now;
    this.holdUntil = now;
  }

  /** Reserves the next slot; returns how many nanoseconds from now it starts. */
  public synchronized long reserve() {
    long now = System.nanoTime();
    long slot = Math.max(now, Math.max(nextFree, holdUntil));
    nextFree = slot + intervalNanos;
    return slot - now;
  }

  /** No request starts before {@code nanos} from now (the longer of this and any hold already in force). */
  public synchronized void holdFor(long nanos) {
    long until = System.nanoTime() + nanos;
    if (until - holdUntil > 0) {
      holdUntil = until;
    }
  }
}
