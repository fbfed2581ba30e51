package dev.lancet.backfill.compute;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cancelled jobs a worker JVM knows of: the driver's own JVM in LOCAL mode, or a cluster worker
 * told by its driver ({@link UdfWorker#cancel}). Workers look before each batch, so a cancelled job
 * stops within a batch. Entries expire: a job is over long before.
 */
public final class Cancellations {
  private static final long KEEP_MILLIS = 3_600_000;
  private static final Map<String, Long> CANCELLED = new ConcurrentHashMap<>();

  private Cancellations() {}

  public static void cancel(String jobId) {
    long now = System.currentTimeMillis();
    CANCELLED.values().removeIf(at -> now - at > KEEP_MILLIS);
    CANCELLED.put(jobId, now);
  }

  static boolean isCancelled(String jobId) {
    return jobId != null && CANCELLED.containsKey(jobId);
  }

  public static void forget(String jobId) {
    CANCELLED.remove(jobId);
  }
}
