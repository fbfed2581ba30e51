package dev.lancet.ray;

import dev.lancet.backfill.engine.WorkerEngine;
import dev.lancet.backfill.engine.Workers;
import dev.lancet.udf.UdfResources;

/**
 * Ray as a backfill's engine: LOCAL mode in the driver's JVM, or the cluster {@code ray.address}
 * names, with workers as Ray actors ({@link RayWorkers}).
 */
public final class RayEngine implements WorkerEngine {
  /** The one Ray runtime of this JVM. */
  public static final RayEngine INSTANCE = new RayEngine();

  private RayEngine() {}

  @Override
  public String name() {
    return "ray";
  }

  @Override
  public void start() {
    RayRuntime.ensureStarted();
  }

  /** Whether backfills go to a Ray cluster (its address is configured), not Ray in this JVM. */
  public boolean onCluster() {
    return RayRuntime.clusterAddress() != null;
  }

  @Override
  public boolean inDriverJvm() {
    return RayRuntime.isLocal();
  }

  @Override
  public String workerCodeUri() {
    return RayRuntime.workerCodeUri();
  }

  @Override
  public Workers open(int size, UdfResources resources, String udfVersion, ClassLoader loader) {
    return new RayWorkers(size, resources, udfVersion, loader);
  }

  @Override
  public void shutdown() {
    RayRuntime.shutdown();
  }
}
