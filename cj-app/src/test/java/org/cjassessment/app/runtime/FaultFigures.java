package org.cjassessment.app.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the fault suite measured, printed at the end (and copied into docs/BENCHMARKS.md): every fault with the
 * moment it struck (seconds since the suite's servers started), its length, what was in flight, and the recovery
 * after its end — to {@code /readyz} 200, to the first progress (a comparison judged or a batch finished that was
 * not before), and for a broker outage to the outbox holding nothing unpublished.
 */
final class FaultFigures {

  /**
   * One fault.
   *
   * @param kind what broke
   * @param at seconds since the start when it struck
   * @param length seconds until its end (a restart, the server back)
   * @param inFlight what was happening when it struck
   * @param toReady seconds from its end to /readyz 200
   * @param toProgress seconds from its end to the first new progress
   * @param toDrained seconds from its end to an outbox without unpublished rows (NaN if not measured)
   */
  record Fault(String kind, double at, double length, String inFlight, double toReady, double toProgress,
      double toDrained) {}

  private final long seed;
  private final List<Fault> faults = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  FaultFigures(long seed) {
    this.seed = seed;
  }

  void add(Fault fault) {
    faults.add(fault);
    System.out.println("fault: " + row(fault));
  }

  void note(String line) {
    notes.add(line);
    System.out.println("fault suite: " + line);
  }

  String table() {
    StringBuilder out = new StringBuilder();
    out.append("seed ").append(seed).append('\n');
    out.append("| fault | at (s) | length (s) | in flight | → READY (s) | → progress (s) | → outbox drained (s) |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    faults.forEach(f -> out.append(row(f)).append('\n'));
    notes.forEach(n -> out.append(n).append('\n'));
    return out.toString();
  }

  private static String row(Fault f) {
    return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s | %s | %s | %s |", f.kind(), f.at(), f.length(),
        f.inFlight(), seconds(f.toReady()), seconds(f.toProgress()), seconds(f.toDrained()));
  }

  private static String seconds(double s) {
    return Double.isNaN(s) ? "–" : String.format(Locale.ROOT, "%.1f", s);
  }
}
