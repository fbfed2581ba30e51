package dev.lancet.spark.ops;

import dev.lancet.backfill.Backfill;
import dev.lancet.backfill.BackfillProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Where backfill progress goes: the engine's log line per fragment unless a console (lancet-sql)
 * sets a listener, e.g. a progress bar.
 */
public final class ProgressListeners {
  private static volatile Consumer<BackfillProgress> listener;

  private ProgressListeners() {}

  /** Sends progress to {@code newListener} instead of the log. */
  public static void set(Consumer<BackfillProgress> newListener) {
    listener = newListener;
  }

  /** Applies the listener to a backfill, if one is set. */
  static Backfill apply(Backfill backfill) {
    Consumer<BackfillProgress> l = listener;
    return l == null ? backfill : backfill.onProgress(l);
  }

  /** A one-line progress bar redrawn in place on a terminal, ended by a newline when done. */
  public static Consumer<BackfillProgress> bar(PrintStream out) {
    return p -> {
      int width = 30;
      int filled =
          p.fragmentsTotal() == 0
              ? width
              : (int) ((long) width * p.fragmentsDone() / p.fragmentsTotal());
      out.print(
          String.format(
              Locale.ROOT,
              "\r%s [%s%s] %d/%d fragments, %,d rows, %,d rows/s ",
              p.column(),
              "#".repeat(filled),
              "-".repeat(width - filled),
              p.fragmentsDone(),
              p.fragmentsTotal(),
              p.rowsDone(),
              Math.round(p.rowsPerSecond())));
      if (p.fragmentsDone() >= p.fragmentsTotal()) {
        out.println();
      }
      out.flush();
    };
  }
}
