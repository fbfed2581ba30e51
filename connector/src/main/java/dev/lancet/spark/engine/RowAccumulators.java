package dev.lancet.spark.engine;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * A backfill's rows as Spark's UI shows them: named accumulators of rows computed, skipped
 * (current, or resumed from checkpoints) and failed, the rows running tasks have scanned so far
 * (back to 0 when they end), and the time tasks spent computing (what a task's duration has beyond
 * it is the engine's overhead), added by each task as it finishes.
 */
final class RowAccumulators implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LongAccumulator computed;
  private final LongAccumulator skipped;
  private final LongAccumulator failed;
  private final LongAccumulator computeMicros;
  private final LongAccumulator inFlight;

  /** What this task's copy last reported in {@link #inFlight}. */
  private transient long reportedInFlight;

  private RowAccumulators(
      LongAccumulator computed,
      LongAccumulator skipped,
      LongAccumulator failed,
      LongAccumulator computeMicros,
      LongAccumulator inFlight) {
    this.computed = computed;
    this.skipped = skipped;
    this.failed = failed;
    this.computeMicros = computeMicros;
    this.inFlight = inFlight;
  }

  /** The name of the accumulator of the time a column's tasks spent computing, in microseconds. */
  static String computeTimeName(String column) {
    return "lancet " + column + ": compute time (us)";
  }

  /** New accumulators of a column's backfill, registered with the application. */
  static RowAccumulators register(SparkContext sc, String column) {
    return new RowAccumulators(
        sc.longAccumulator("lancet " + column + ": rows computed"),
        sc.longAccumulator("lancet " + column + ": rows skipped"),
        sc.longAccumulator("lancet " + column + ": rows failed"),
        sc.longAccumulator(computeTimeName(column)),
        sc.longAccumulator("lancet " + column + ": rows in progress on the executor"));
  }

  /** Adds a task's counts: computed, skipped, failed. */
  void add(long[] counts) {
    computed.add(counts[0]);
    skipped.add(counts[1]);
    failed.add(counts[2]);
  }

  /** The accumulator whose running tasks' values executors' heartbeats bring to the driver. */
  long inFlightId() {
    return inFlight.id();
  }

  /**
   * Sets what a running task reports as its executor's rows in progress (its JVM's count for the
   * job; the driver takes one task's per executor). Executors' heartbeats carry a running task's
   * accumulator values to the driver; once the task ends its value is back to 0.
   */
  synchronized void reportInFlight(long rows) {
    inFlight.add(rows - reportedInFlight);
    reportedInFlight = rows;
  }

  /** Adds the time a task spent computing its work group. */
  void addComputeTime(long nanos) {
    computeMicros.add(nanos / 1_000);
  }
}
