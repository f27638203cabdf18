package org.cjassessment.app.assess;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Live progress of a run: a bar redrawn in place on a terminal, plain lines otherwise (a CI log, a pipe), one per
 * wave or every few seconds, so a log stays readable.
 */
public final class ProgressDisplay {

  /** What the display shows; {@code budget} 0 means unknown. */
  public record Snapshot(String state, int wave, int judged, int errored, int pending, int budget,
      Duration elapsed) {}

  private static final int BAR_WIDTH = 30;
  private static final long PLAIN_EVERY_MILLIS = 5_000;

  private final PrintWriter out;
  private final boolean terminal;
  private int lastWave = -1;
  private long lastPlainLine;
  private boolean barShown;

  public ProgressDisplay(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** A bar when this process writes to a console (stdout not redirected), plain lines otherwise. */
  public static ProgressDisplay on(PrintWriter out) {
    return new ProgressDisplay(out, System.console() != null);
  }

  /** One step of the run ("starting PostgreSQL and Kafka"), on its own line. */
  public synchronized void step(String message) {
    clearBar();
    out.println(message);
    out.flush();
  }

  public synchronized void update(Snapshot s) {
    String text = String.format(Locale.ROOT, "wave %d · %d/%d comparisons judged%s%s · %.1f s", s.wave(), s.judged(),
        s.budget(), s.errored() > 0 ? " (" + s.errored() + " errors)" : "",
        s.pending() > 0 ? " · " + s.pending() + " in flight" : "", s.elapsed().toMillis() / 1000.0);
    if (terminal) {
      double share = s.budget() == 0 ? 0 : Math.min(1, (s.judged() + s.errored()) / (double) s.budget());
      int filled = (int) Math.round(share * BAR_WIDTH);
      out.print("\r[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] "
          + String.format(Locale.ROOT, "%3.0f%% ", share * 100) + text + "   ");
      out.flush();
      barShown = true;
      return;
    }
    long now = System.nanoTime() / 1_000_000;
    if (s.wave() != lastWave || now - lastPlainLine >= PLAIN_EVERY_MILLIS) {
      out.println("progress: " + text);
      out.flush();
      lastWave = s.wave();
      lastPlainLine = now;
    }
  }

  /** Ends the bar's line. */
  public synchronized void done() {
    clearBar();
  }

  private void clearBar() {
    if (barShown) {
      out.println();
      barShown = false;
    }
  }
}
