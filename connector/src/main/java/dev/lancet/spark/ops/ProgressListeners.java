package dev.lancet.spark.ops;

import dev.lancet.backfill.Backfill;
import dev.lancet.backfill.BackfillProgress;
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

  /** Hands {@code progress} of work that is not a backfill (a view's refresh) to the listener. */
  public static void report(BackfillProgress progress) {
    Consumer<BackfillProgress> l = listener;
    if (l != null) {
      l.accept(progress);
    }
  }

  /** Applies the listener to a backfill, if one is set. */
  static Backfill apply(Backfill backfill) {
    Consumer<BackfillProgress> l = listener;
    return l == null ? backfill : backfill.onProgress(l);
  }
}
