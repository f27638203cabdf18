package org.cjassessment.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock tests move explicitly (stuck-batch timeouts and outbox backoffs without waiting). Starts at the real time,
 * or at a fixed instant for tests whose output must not depend on when they run (golden event fixtures).
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

  public void set(Instant instant) {
    now.set(instant);
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
