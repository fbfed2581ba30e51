package dev.lancet.spark.ops;

import dev.lancet.backfill.BackfillProgress;
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
}
