package dev.lancet.backfill;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backfills running in this JVM, by job id, so a console can cancel what it runs (Ctrl-C) and
 * {@code CANCEL BACKFILL} reaches a job of this JVM at once. Jobs of other JVMs are cancelled
 * through their table ({@link BackfillJobs#requestCancel}).
 */
public final class RunningBackfills {
  private static final Map<String, BackfillControl> RUNNING = new ConcurrentHashMap<>();

  private RunningBackfills() {}

  /**
   * A job of this JVM starts: a backfill, or work of another kind that stops between its steps when
   * {@code control} is cancelled (a materialized view's refresh).
   */
  public static void started(String jobId, BackfillControl control) {
    RUNNING.put(jobId, control);
  }

  /** The job ended. */
  public static void ended(String jobId) {
    RUNNING.remove(jobId);
  }

  /** Cancels one job of this JVM; false when it does not run here. */
  public static boolean cancel(String jobId, String reason) {
    BackfillControl control = RUNNING.get(jobId);
    if (control == null) {
      return false;
    }
    control.cancel(reason);
    return true;
  }

  /** Cancels every backfill of this JVM; returns their job ids. */
  public static List<String> cancelAll(String reason) {
    List<String> ids = List.copyOf(RUNNING.keySet());
    ids.forEach(id -> cancel(id, reason));
    return ids;
  }
}
