package org.cjassessment.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock tests move forward explicitly (stuck-batch timeouts without waiting). Starts at the real time, or at a
 * fixed instant for tests whose output must not depend on when they run (golden event fixtures).
 */
public final class MutableClock extends Clock {

  private final AtomicReference<Instant> now;

  public MutableClock() {
    this(Instant.now());
  }

  public MutableClock(Instant start) {
    now = new AtomicReference<>(start);
  }

  public void advance(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
