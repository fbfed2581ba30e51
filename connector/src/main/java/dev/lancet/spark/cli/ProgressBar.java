package dev.lancet.spark.cli;

import dev.lancet.backfill.BackfillProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A one-line progress bar redrawn in place on a terminal (about once a second, rows within a
 * fragment included), with the elapsed time and an estimate of the time left; ended by a newline
 * when done.
 */
final class ProgressBar implements Consumer<BackfillProgress> {
  private final PrintStream out;

  /** Whether a bar's line is drawn but not ended (a backfill stopped or failed midway). */
  private boolean lineOpen;

  ProgressBar(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void accept(BackfillProgress p) {
    out.print(barLine(p));
    lineOpen = true;
    if (p.fragmentsDone() >= p.fragmentsTotal()) {
      out.println();
      lineOpen = false;
    }
    out.flush();
  }

  /**
   * Ends a bar's line left open (a backfill cancelled or failed midway), so what is printed next,
   * an error, starts on a line of its own.
   */
  synchronized void endLine() {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
  }

  /** The bar's text for one report (starting with a carriage return). */
  static String barLine(BackfillProgress p) {
    int width = 30;
    int filled = (int) Math.round(width * Math.max(0, Math.min(1, p.fraction())));
    return String.format(
        Locale.ROOT,
        "\r%s [%s%s] %3d%% %d/%d fragments, %,d rows, %,d rows/s, %s elapsed, %s left ",
        p.column(),
        "#".repeat(filled),
        "-".repeat(width - filled),
        (int) Math.floor(100 * p.fraction()),
        p.fragmentsDone(),
        p.fragmentsTotal(),
        p.rowsDone(),
        Math.round(p.rowsPerSecond()),
        clock(p.elapsedMillis()),
        p.etaMillis().isPresent() ? clock(p.etaMillis().getAsLong()) : "--:--");
  }

  /** m:ss, or h:mm:ss past an hour. */
  static String clock(long millis) {
    long s = Math.max(0, millis) / 1000;
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
