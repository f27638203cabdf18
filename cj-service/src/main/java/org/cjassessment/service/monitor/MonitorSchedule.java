package org.cjassessment.service.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the monitor sweep every interval on a thread of its own, and knows whether it still does. A scheduled
 * executor silently cancels a periodic task the first time it throws, so the task catches every {@link Throwable}:
 * whatever one sweep hits, the next one runs. {@link #sweeping()} turns false when no sweep has finished for
 * {@value #STALE_AFTER_INTERVALS} intervals (a sweep hung on a lock, a dead thread), which {@code /readyz} reports.
 */
public final class MonitorSchedule implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MonitorSchedule.class);

  /** A monitor that has not finished a sweep for this many intervals is reported as not sweeping. */
  public static final int STALE_AFTER_INTERVALS = 3;

  private final Runnable sweep;
  private final Duration interval;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private volatile Instant lastFinished;

  private MonitorSchedule(Runnable sweep, Duration interval, Clock clock, String threadName) {
    this.sweep = sweep;
    this.interval = interval;
    this.clock = clock;
    this.lastFinished = clock.instant(); // the first sweep is due one interval after the start
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts sweeping every {@code interval}, the first time one interval from now. */
  public static MonitorSchedule start(Runnable sweep, Duration interval, Clock clock, String threadName) {
    MonitorSchedule schedule = new MonitorSchedule(sweep, interval, clock, threadName);
    long every = interval.toMillis();
    schedule.scheduler.scheduleWithFixedDelay(schedule::runOnce, every, every, TimeUnit.MILLISECONDS);
    return schedule;
  }

  private void runOnce() {
    try {
      sweep.run();
    } catch (Throwable e) { // anything escaping would cancel every later sweep without a word
      LOG.error("monitor sweep failed; the next one runs in {} ms", interval.toMillis(), e);
      if (e instanceof VirtualMachineError vm && !(e instanceof StackOverflowError)) {
        throw vm; // out of memory: nothing sensible to do here; readiness will report the stopped monitor
      }
    }
    lastFinished = clock.instant();
  }

  /** Whether a sweep finished (successfully or not) within the last {@value #STALE_AFTER_INTERVALS} intervals. */
  public boolean sweeping() {
    return !scheduler.isShutdown()
        && Duration.between(lastFinished, clock.instant()).compareTo(interval.multipliedBy(STALE_AFTER_INTERVALS)) <= 0;
  }

  public Instant lastFinished() {
    return lastFinished;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
