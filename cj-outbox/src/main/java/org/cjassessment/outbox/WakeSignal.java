package org.cjassessment.outbox;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A level-triggered wake-up: {@link #wake()} sets a flag that the next {@link #await} consumes, so a wake that
 * arrives while the relay is busy is not lost, and a thousand wakes during one round cost one extra round.
 */
final class WakeSignal {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private boolean pending;

  void wake() {
    lock.lock();
    try {
      pending = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until woken or {@code nanos} elapsed, then clears the flag.
   *
   * @return whether it was woken (rather than timed out)
   */
  boolean await(long nanos) throws InterruptedException {
    lock.lock();
    try {
      long remaining = nanos;
      while (!pending && remaining > 0) {
        remaining = woken.awaitNanos(remaining);
      }
      boolean wasWoken = pending;
      pending = false;
      return wasWoken;
    } finally {
      lock.unlock();
    }
  }
}
