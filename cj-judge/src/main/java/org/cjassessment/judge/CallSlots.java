package org.cjassessment.judge;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * At most {@code limit} judge calls running; the rest wait in arrival order. A finished call starts the next waiting
 * one at once (from the finishing thread), so throughput does not depend on how often the poll thread runs. Calls
 * start on {@code starter} so that a judge that completes synchronously never recurses through this class.
 */
final class CallSlots {

  private final int limit;
  private final Executor starter;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int running;
  private int maxRunning;

  CallSlots(int limit, Executor starter) {
    this.limit = limit;
    this.starter = starter;
  }

  /** {@code call} must call {@link #release()} exactly once when its judge call has finished. */
  void submit(Runnable call) {
    synchronized (this) {
      if (running >= limit) {
        waiting.add(call);
        return;
      }
      running++;
      maxRunning = Math.max(maxRunning, running);
    }
    starter.execute(call);
  }

  void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
        return;
      }
    }
    starter.execute(next);
  }

  synchronized int running() {
    return running;
  }

  synchronized int waiting() {
    return waiting.size();
  }

  synchronized int maxRunning() {
    return maxRunning;
  }
}
