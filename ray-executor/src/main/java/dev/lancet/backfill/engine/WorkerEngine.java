package dev.lancet.backfill.engine;

import dev.lancet.udf.UdfResources;

/**
 * What computes a backfill's tasks: the seam between the driver's planning and committing and the
 * engine whose workers run the UDF (Ray, or Spark's executors in the connector). The runner asks it
 * for {@link Workers} per round and never sees the engine's own types; an engine ships each {@link
 * WorkTask}'s JSON to a {@link TaskWorker} and hands back what it returns.
 */
public interface WorkerEngine {
  /** The engine's name, as job records show it ({@code ray}, {@code spark}). */
  String name();

  /** Starts the engine, or joins it, before the first workers are opened; idempotent. */
  void start();

  /**
   * Whether the workers run in this JVM and load the UDF from the driver's class loader, so the
   * session's jars need not be published to the table's jar store.
   */
  boolean inDriverJvm();

  /** Where the workers' own code comes from, as job records show it; null when nowhere else. */
  String workerCodeUri();

  /**
   * Opens {@code size} workers with the UDF's resource requests, for the UDF of {@code udfVersion};
   * {@code loader} is where workers in this JVM load the UDF class from.
   */
  Workers open(int size, UdfResources resources, String udfVersion, ClassLoader loader);

  /** Stops what the engine started in this JVM (its workers are gone with it). */
  void shutdown();
}
