package dev.lancet.udf;

/** Which engine computes a backfill: the {@code engine} option's values. */
public enum EngineChoice {
  /** Ray: embedded in the driver, or the cluster {@code lancet.ray.address} names (default). */
  RAY,
  /** Spark's executors, through the session's SparkContext. */
  SPARK
}
