package dev.lancet.backfill.internal;

import dev.lancet.ray.RayRuntime;
import dev.lancet.ray.ShutdownListeners;
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
 * A pool of {@link UdfWorker} actors with the UDF's resource requests. Each actor computes one
 * work unit at a time; a finished actor takes the next unit, so slow fragments do not hold up
 * the rest. Results are handed over as they finish.
 */
final class WorkerPool implements AutoCloseable {
  /**
   * LOCAL mode cannot kill actors and gives each one a thread until Ray shuts down, so idle
   * actors are kept here and reused by later backfills instead of made anew each time.
   */
  private static final Deque<ActorHandle<UdfWorker>> IDLE_LOCAL = new ArrayDeque<>();

  static {
    ShutdownListeners.add(WorkerPool::forgetIdle);
  }

  private final List<ActorHandle<UdfWorker>> actors = new ArrayList<>();
  private final String udfVersion;

  WorkerPool(int size, UdfResources resources, String udfVersion) {
    this.udfVersion = udfVersion;
    for (int i = 0; i < size; i++) {
      if (RayRuntime.isLocal()) {
        synchronized (IDLE_LOCAL) {
          ActorHandle<UdfWorker> idle = IDLE_LOCAL.poll();
          if (idle != null) {
            actors.add(idle);
            continue;
          }
        }
      }
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
    Map<ObjectRef<String>, ActorHandle<UdfWorker>> inflight = new HashMap<>();
    for (ActorHandle<UdfWorker> actor : actors) {
      submit(queue, actor, inflight);
    }
    while (!inflight.isEmpty()) {
      WaitResult<String> ready = Ray.wait(new ArrayList<>(inflight.keySet()), 1, Integer.MAX_VALUE);
      for (ObjectRef<String> ref : ready.getReady()) {
        ActorHandle<UdfWorker> actor = inflight.remove(ref);
        try {
          onResult.accept(Ray.get(ref));
        } catch (RuntimeException e) {
          onFailure.accept(e);
          queue.clear(); // fail fast: finish what is running, start nothing new
        }
        submit(queue, actor, inflight);
      }
    }
  }

  /** Forgets parked LOCAL-mode actors; called when Ray shuts down. */
  static void forgetIdle() {
    synchronized (IDLE_LOCAL) {
      IDLE_LOCAL.clear();
    }
  }

  private static void submit(Deque<WorkUnit> queue, ActorHandle<UdfWorker> actor, Map<ObjectRef<String>, ActorHandle<UdfWorker>> inflight) {
    WorkUnit next = queue.poll();
    if (next != null) {
      inflight.put(actor.task(UdfWorker::compute, next.toJson()).remote(), actor);
    }
  }

  /** Closes this backfill's UDF on each actor (its {@code close()} runs once), then ends or parks the actors. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (ActorHandle<UdfWorker> actor : actors) {
      try {
        Ray.get(actor.task(UdfWorker::close, udfVersion).remote());
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
      if (RayRuntime.isLocal()) {
        synchronized (IDLE_LOCAL) {
          IDLE_LOCAL.push(actor);
        }
      } else {
        actor.kill();
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
