package org.cjassessment.inbox;

import java.util.concurrent.atomic.AtomicLong;

/** Running counts of one {@link InboxConsumer}, readable from any thread. */
public final class InboxStats implements InboxListener {

  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong purged = new AtomicLong();

  @Override
  public void applied(InboxRecord record) {
    applied.incrementAndGet();
  }

  @Override
  public void duplicate(InboxRecord record) {
    duplicates.incrementAndGet();
  }

  @Override
  public void retrying(InboxRecord record, int attempt, Exception cause) {
    retries.incrementAndGet();
  }

  @Override
  public void deadLettered(String sourceTopic, String reason) {
    deadLettered.incrementAndGet();
  }

  @Override
  public void purged(int rows) {
    purged.addAndGet(rows);
  }

  public long applied() {
    return applied.get();
  }

  public long duplicates() {
    return duplicates.get();
  }

  public long retries() {
    return retries.get();
  }

  public long deadLettered() {
    return deadLettered.get();
  }

  public long purged() {
    return purged.get();
  }

  @Override
  public String toString() {
    return "applied=" + applied() + " duplicates=" + duplicates() + " retries=" + retries() + " dead_lettered="
        + deadLettered();
  }
}
