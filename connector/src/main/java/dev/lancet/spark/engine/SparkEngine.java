package dev.lancet.spark.engine;

import dev.lancet.backfill.engine.WorkerEngine;
import dev.lancet.backfill.engine.Workers;
import dev.lancet.udf.UdfResources;
import org.apache.spark.SparkContext;

/**
 * Spark's executors as a backfill's engine: each task (a work group) is one Spark task of one Spark
 * job per round, computed by a {@link dev.lancet.backfill.engine.TaskWorker} kept per executor and
 * job ({@link ExecutorTasks}); results reach the driver as each task finishes. Executors need no
 * Ray: UDF classes load from the task's jars (pinned, or the session's, published to the table's
 * jar store) above the executor's class path.
 */
public final class SparkEngine implements WorkerEngine {
  /**
   * The reason the Spark jobs of a backfill that was cancelled or failed are cancelled with: the
   * statement's one-line error says why, so Spark's reports of the killed tasks can be left out.
   */
  public static final String CANCEL_REASON = SparkWorkers.CANCEL_REASON;

  private final SparkContext sc;

  private SparkEngine(SparkContext sc) {
    this.sc = sc;
  }

  /** The engine of a Spark application. */
  public static SparkEngine of(SparkContext sc) {
    return new SparkEngine(sc);
  }

  /** Tasks Spark's executors run at once: the default concurrency on this engine. */
  public int slots() {
    return Math.max(1, sc.defaultParallelism());
  }

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public void start() {
    // The application's SparkContext is the engine: nothing to start.
  }

  @Override
  public boolean inDriverJvm() {
    // Executors, even local mode's, load UDFs from the tasks' jars as on a cluster: one code path.
    return false;
  }

  @Override
  public String workerCodeUri() {
    return null;
  }

  @Override
  public Workers open(int size, UdfResources resources, String udfVersion, ClassLoader loader) {
    return new SparkWorkers(sc, udfVersion, TaskResources.profile(sc, resources));
  }

  @Override
  public void shutdown() {
    // The SparkContext is the application's, not the engine's to stop.
  }
}
