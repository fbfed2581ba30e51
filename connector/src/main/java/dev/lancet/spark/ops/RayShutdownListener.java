package dev.lancet.spark.ops;

import dev.lancet.backfill.Backfill;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;

/**
 * Stops Ray when the Spark application ends. Ray's LOCAL mode keeps non-daemon threads, so without
 * this a driver whose main returns (a PySpark script under spark-submit) waits minutes for the JVM
 * to exit after {@code spark.stop()}.
 */
public final class RayShutdownListener extends SparkListener {
  private static final Set<SparkContext> REGISTERED =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private RayShutdownListener() {}

  /** Registers the listener on {@code context} once. */
  public static void register(SparkContext context) {
    if (REGISTERED.add(context)) {
      context.addSparkListener(new RayShutdownListener());
    }
  }

  @Override
  public void onApplicationEnd(SparkListenerApplicationEnd end) {
    Backfill.shutdownWorkers();
  }
}
