package dev.lancet.backfill.compute;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rows scanned so far in the fragments this JVM is computing, per job: what makes progress move
 * within a fragment. Workers add to it batch by batch and drop a fragment's count when its group
 * returns (the driver counts the fragment from its receipt then); the driver reads it directly in
 * LOCAL mode and through each actor's {@link UdfWorker#rowsInFlight} on a cluster.
 */
public final class InFlightRows {
  /** This JVM, so that a driver asking two actors of one JVM counts it once. */
  static final String JVM = ManagementFactory.getRuntimeMXBean().getName();

  private static final Map<String, Map<String, AtomicLong>> JOBS = new ConcurrentHashMap<>();

  private InFlightRows() {}

  static void add(String jobId, String unitKey, long rows) {
    if (jobId == null) {
      return;
    }
    JOBS.computeIfAbsent(jobId, j -> new ConcurrentHashMap<>())
        .computeIfAbsent(unitKey, f -> new AtomicLong())
        .addAndGet(rows);
  }

  /**
   * The unit's group has returned (or failed): its rows are the receipt's now. A unit is a fragment
   * or one of its row ranges, by its parts key.
   */
  static void finish(String jobId, String unitKey) {
    if (jobId == null) {
      return;
    }
    Map<String, AtomicLong> fragments = JOBS.get(jobId);
    if (fragments != null) {
      fragments.remove(unitKey);
      if (fragments.isEmpty()) {
        JOBS.remove(jobId, fragments);
      }
    }
  }

  public static long total(String jobId) {
    Map<String, AtomicLong> fragments = jobId == null ? null : JOBS.get(jobId);
    if (fragments == null) {
      return 0;
    }
    return fragments.values().stream().mapToLong(AtomicLong::get).sum();
  }
}
