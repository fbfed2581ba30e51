package dev.lancet.spark.engine;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * A backfill's rows as Spark's UI shows them: named accumulators of rows computed, skipped
 * (current, or resumed from checkpoints) and failed, and the time tasks spent computing (what a
 * task's duration has beyond it is the engine's overhead), added by each task as it finishes.
 */
final class RowAccumulators implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LongAccumulator computed;
  private final LongAccumulator skipped;
  private final LongAccumulator failed;
  private final LongAccumulator computeMicros;

  private RowAccumulators(
      LongAccumulator computed,
      LongAccumulator skipped,
      LongAccumulator failed,
      LongAccumulator computeMicros) {
    this.computed = computed;
    this.skipped = skipped;
    this.failed = failed;
    this.computeMicros = computeMicros;
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
        sc.longAccumulator(computeTimeName(column)));
  }

  /** Adds a task's counts: computed, skipped, failed. */
  void add(long[] counts) {
    computed.add(counts[0]);
    skipped.add(counts[1]);
    failed.add(counts[2]);
  }

  /** Adds the time a task spent computing its work group. */
  void addComputeTime(long nanos) {
    computeMicros.add(nanos / 1_000);
  }
}
