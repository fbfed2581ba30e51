package dev.lancet.backfill.internal;

import dev.lancet.ray.RayRuntime;
import dev.lancet.udf.UdfResources;
import io.ray.api.ActorHandle;
import io.ray.api.ObjectRef;
import io.ray.api.Ray;
import io.ray.api.WaitResult;
import io.ray.api.call.ActorCreator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The workers of one backfill, each holding the UDF and computing one work unit at a time; a
 * worker that finishes takes the next unit, so slow fragments do not hold up the rest. Results
 * are handed over as they finish. On a Ray cluster the workers are {@link UdfWorker} actors with
 * the UDF's resource requests; in LOCAL mode they are {@link LocalWorkers} run as Ray tasks,
 * because LOCAL-mode actors do not run in parallel reliably (see {@link LocalWorkers}).
 */
final class WorkerPool implements AutoCloseable {
  private final List<ActorHandle<UdfWorker>> actors = new ArrayList<>();
  private final String localPool;
  private final int size;
  private final String udfVersion;

  /** {@code loader}: where LOCAL-mode workers (in this JVM) load the UDF class from. */
  WorkerPool(int size, UdfResources resources, String udfVersion, ClassLoader loader) {
    this.size = size;
    this.udfVersion = udfVersion;
    if (RayRuntime.isLocal()) {
      localPool = LocalWorkers.open(size, loader);
      return;
    }
    localPool = null;
    for (int i = 0; i < size; i++) {
      ActorCreator<UdfWorker> creator = Ray.actor(UdfWorker::new).setResource("CPU", resources.numCpus());
      if (resources.numGpus() > 0) {
        creator.setResource("GPU", resources.numGpus());
      }
      if (resources.memoryBytes() > 0) {
        creator.setResource("memory", (double) resources.memoryBytes());
      }
      actors.add(creator.remote());
    }
  }

  /**
   * Runs every unit; {@code onResult} gets each receipt's JSON, {@code onFailure} each failure,
   * in completion order. Returns when every unit has finished or failed.
   */
  void run(List<WorkUnit> units, Consumer<String> onResult, Consumer<RuntimeException> onFailure) {
    Deque<WorkUnit> queue = new ArrayDeque<>(units);
    Map<ObjectRef<String>, Integer> inflight = new HashMap<>();
    for (int slot = 0; slot < size; slot++) {
      submit(queue, slot, inflight);
    }
    while (!inflight.isEmpty()) {
      WaitResult<String> ready = Ray.wait(new ArrayList<>(inflight.keySet()), 1, Integer.MAX_VALUE);
      for (ObjectRef<String> ref : ready.getReady()) {
        int slot = inflight.remove(ref);
        try {
          onResult.accept(Ray.get(ref));
        } catch (RuntimeException e) {
          onFailure.accept(e);
          queue.clear(); // fail fast: finish what is running, start nothing new
        }
        submit(queue, slot, inflight);
      }
    }
  }

  private void submit(Deque<WorkUnit> queue, int slot, Map<ObjectRef<String>, Integer> inflight) {
    WorkUnit next = queue.poll();
    if (next == null) {
      return;
    }
    ObjectRef<String> ref = localPool != null
        ? Ray.task(LocalWorkers::compute, localPool, next.toJson()).remote()
        : actors.get(slot).task(UdfWorker::compute, next.toJson()).remote();
    inflight.put(ref, slot);
  }

  /** Closes this backfill's UDF on each worker (its {@code close()} runs once), then ends the actors. */
  @Override
  public void close() {
    if (localPool != null) {
      LocalWorkers.close(localPool, udfVersion);
      return;
    }
    RuntimeException failure = null;
    for (ActorHandle<UdfWorker> actor : actors) {
      try {
        Ray.get(actor.task(UdfWorker::close, udfVersion).remote());
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
      actor.kill();
    }
    if (failure != null) {
      throw failure;
    }
  }
}
