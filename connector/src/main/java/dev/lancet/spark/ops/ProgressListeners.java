package dev.lancet.spark.ops;

import dev.lancet.backfill.BackfillProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where backfill progress goes: a log line per fragment by default; a console (lancet-sql) sets
 * its own listener to draw a progress bar.
 */
public final class ProgressListeners {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressListeners.class);
  private static volatile Consumer<BackfillProgress> listener =
      p -> LOG.info("backfill {}: {}/{} fragments, {} rows, {} rows/s", p.column(), p.fragmentsDone(), p.fragmentsTotal(),
          p.rowsDone(), Math.round(p.rowsPerSecond()));

  private ProgressListeners() {}

  /** Sends progress to {@code newListener} instead. */
  public static void set(Consumer<BackfillProgress> newListener) {
    listener = newListener;
  }

  static void report(BackfillProgress progress) {
    listener.accept(progress);
  }

  /** A one-line progress bar redrawn in place on a terminal, ended by a newline when done. */
  public static Consumer<BackfillProgress> bar(PrintStream out) {
    return p -> {
      int width = 30;
      int filled = p.fragmentsTotal() == 0 ? width : (int) ((long) width * p.fragmentsDone() / p.fragmentsTotal());
      out.print(String.format(Locale.ROOT, "\r%s [%s%s] %d/%d fragments, %,d rows, %,d rows/s ", p.column(),
          "#".repeat(filled), "-".repeat(width - filled), p.fragmentsDone(), p.fragmentsTotal(), p.rowsDone(),
          Math.round(p.rowsPerSecond())));
      if (p.fragmentsDone() >= p.fragmentsTotal()) {
        out.println();
      }
      out.flush();
    };
  }
}
