package org.cjassessment.testing;

import java.util.concurrent.atomic.AtomicReference;
import org.cjassessment.embedded.EmbeddedInfrastructure;

/** Remembers the infrastructure the first test class saw, whichever class runs first. */
final class FirstSeenInfrastructure {

  private static final AtomicReference<EmbeddedInfrastructure> FIRST = new AtomicReference<>();

  private FirstSeenInfrastructure() {}

  static EmbeddedInfrastructure recordOrGet(EmbeddedInfrastructure seen) {
    FIRST.compareAndSet(null, seen);
    return FIRST.get();
  }
}
