package org.cjassessment.app.assess;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs an action on Ctrl-C (INT) or TERM <em>before</em> the JVM starts its shutdown hooks, then exits as the
 * signal would (128 + its number). Why not a shutdown hook alone: hooks run concurrently, and the embedded
 * PostgreSQL's own hook could stop the database while ours was still silencing the logs, so the relay's
 * "connection terminated" warning sometimes reached the screen above the one line a user needs
 * ({@code AssessInterruptTest}). {@code sun.misc.Signal} is the JDK's supported-but-unofficial way to do this
 * (module jdk.unsupported); where a signal cannot be handled, the shutdown hook still runs.
 */
final class StopSignals implements AutoCloseable {

  private record Installed(Signal signal, SignalHandler previous) {}

  private final List<Installed> installed = new ArrayList<>();

  StopSignals(Runnable first) {
    for (String name : List.of("INT", "TERM")) {
      try {
        Signal signal = new Signal(name);
        installed.add(new Installed(signal, Signal.handle(signal, s -> {
          first.run();
          System.exit(128 + s.getNumber());
        })));
      } catch (IllegalArgumentException unavailable) {
        // not on this platform, or reserved by the JVM (-Xrs): the shutdown hook covers it
      }
    }
  }

  /** The previous handlers again, once the run is over (the JVM may go on, e.g. in tests). */
  @Override
  public void close() {
    installed.forEach(i -> Signal.handle(i.signal(), i.previous()));
  }
}
