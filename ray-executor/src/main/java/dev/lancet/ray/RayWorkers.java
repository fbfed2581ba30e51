package dev.lancet.ray;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.compute.Cancellations;
import dev.lancet.backfill.compute.UdfWorker;
import dev.lancet.backfill.engine.TaskQueue;
import dev.lancet.backfill.engine.WorkTask;
import dev.lancet.backfill.engine.Workers;
import dev.lancet.udf.UdfResources;
import io.ray.api.ActorHandle;
import io.ray.api.ObjectRef;
import io.ray.api.Ray;
import io.ray.api.WaitResult;
import io.ray.api.call.ActorCreator;
import io.ray.api.exception.RayActorException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one backfill, each holding the UDF and computing one work group at a time; a
 * worker that finishes takes the next group, so slow fragments do not hold up the rest. Results are
 * handed over as they finish. On a Ray cluster the workers are {@link UdfWorker} actors with the
 * UDF's resource requests; in LOCAL mode they are {@link LocalWorkers} run as Ray tasks, because
 * LOCAL-mode actors do not run in parallel reliably (see {@link LocalWorkers}).
 *
 * <p>A cancelled job starts nothing more and tells its workers, which stop before their next batch.
 * A cluster worker whose process dies (OOM, kill) is replaced and its group run again, up to
 * {@value #MAX_ATTEMPTS} times in all; its checkpoints make the retry resume.
 */
public final class RayWorkers implements Workers {
  private static final Logger LOG = LoggerFactory.getLogger(RayWorkers.class);

  /** Runs of one group on workers that died before the job fails. */
  static final int MAX_ATTEMPTS = 3;

  private static final int POLL_MILLIS = 200;

  private final List<ActorHandle<RayUdfWorker>> actors = new ArrayList<>();
  private final String localPool;
  private final int size;
  private final String udfVersion;
  private final UdfResources resources;
  private boolean closed;

  /** {@code loader}: where LOCAL-mode workers (in this JVM) load the UDF class from. */
  RayWorkers(int size, UdfResources resources, String udfVersion, ClassLoader loader) {
    this.size = size;
    this.udfVersion = udfVersion;
    this.resources = resources;
    if (RayRuntime.isLocal()) {
      localPool = LocalWorkers.open(size, loader);
      return;
    }
    localPool = null;
    for (int i = 0; i < size; i++) {
      actors.add(newActor());
    }
  }

  private ActorHandle<RayUdfWorker> newActor() {
    // A second thread per actor: cancel() runs while compute() does.
    ActorCreator<RayUdfWorker> creator =
        Ray.actor(RayUdfWorker::new).setResource("CPU", resources.numCpus()).setMaxConcurrency(2);
    if (resources.numGpus() > 0) {
      creator.setResource("GPU", resources.numGpus());
    }
    if (resources.memoryBytes() > 0) {
      creator.setResource("memory", (double) resources.memoryBytes());
    }
    return creator.remote();
  }

  private record Running(int slot, WorkTask task, int attempt) {}

  /**
   * Runs every group; {@code onResult} gets each group's receipts, {@code onFailure} each failure,
   * in completion order. A failure (or a throwing {@code onResult}) stops the queue: what runs
   * finishes, nothing new starts. Once {@code cancelled} says so, the workers are told and the
   * queue stops. {@code onRowsInFlight} gets, about once a second, the rows scanned so far in the
   * groups in progress. Returns when nothing runs any more.
   */
  @Override
  public void run(
      List<WorkTask> groups,
      Consumer<String> onResult,
      Consumer<RuntimeException> onFailure,
      BooleanSupplier cancelled,
      LongConsumer onRowsInFlight) {
    run(new TaskQueue(groups), onResult, onFailure, cancelled, onRowsInFlight);
  }

  /**
   * Runs the queue's groups and those its results add while it runs: a worker that finishes takes
   * the next waiting, and idle workers take what a result adds.
   */
  @Override
  public void run(
      TaskQueue queue,
      Consumer<String> onResult,
      Consumer<RuntimeException> onFailure,
      BooleanSupplier cancelled,
      LongConsumer onRowsInFlight) {
    Map<ObjectRef<String>, Running> inflight = new HashMap<>();
    Deque<Integer> idle = new ArrayDeque<>();
    InFlightPoll poll = null;
    for (int slot = 0; slot < size; slot++) {
      idle.add(slot);
    }
    fill(queue, idle, inflight);
    boolean told = false;
    boolean failed = false;
    while (!inflight.isEmpty()) {
      if (poll == null) {
        poll =
            new InFlightPoll(
                inflight.values().iterator().next().task().jobId(),
                localPool != null ? List.of() : actors,
                onRowsInFlight);
      }
      if (!told && cancelled.getAsBoolean()) {
        queue.clear();
        tellCancelled(inflight.values().iterator().next().task().jobId());
        told = true;
      }
      WaitResult<String> ready = Ray.wait(new ArrayList<>(inflight.keySet()), 1, POLL_MILLIS);
      poll.tick();
      for (ObjectRef<String> ref : ready.getReady()) {
        Running done = inflight.remove(ref);
        poll.forgetCounts();
        try {
          onResult.accept(Ray.get(ref));
        } catch (RayActorException died) {
          if (done.attempt() < MAX_ATTEMPTS && !told) {
            LOG.warn(
                "{}: its worker died ({}); a new worker runs it again (attempt {} of {})",
                done.task().describe(),
                firstLine(died),
                done.attempt() + 1,
                MAX_ATTEMPTS);
            replace(done.slot());
            submit(done.task().retried(), done.slot(), done.attempt() + 1, inflight);
            continue;
          }
          onFailure.accept(
              new BackfillException(
                  "column '"
                      + done.task().column()
                      + "': "
                      + done.task().describe()
                      + " lost its worker "
                      + done.attempt()
                      + " times (the worker process died: "
                      + firstLine(died)
                      + "); the work it finished is checkpointed",
                  died));
          failed = true;
        } catch (RuntimeException e) {
          onFailure.accept(e);
          failed = true; // fail fast: finish what is running, start nothing new
        }
        idle.add(done.slot());
      }
      if (failed || told) {
        queue.clear(); // and what a later result adds
      } else {
        fill(queue, idle, inflight); // what was waiting, and what the results added
      }
    }
  }

  /** Hands waiting groups to idle workers. */
  private void fill(
      TaskQueue queue, Deque<Integer> idle, Map<ObjectRef<String>, Running> inflight) {
    while (!idle.isEmpty()) {
      WorkTask next = queue.poll();
      if (next == null) {
        return;
      }
      submit(next, idle.poll(), 1, inflight);
    }
  }

  private void submit(
      WorkTask next, int slot, int attempt, Map<ObjectRef<String>, Running> inflight) {
    if (next == null) {
      return;
    }
    ObjectRef<String> ref =
        localPool != null
            ? Ray.task(LocalWorkers::compute, localPool, next.json()).remote()
            : actors.get(slot).task(RayUdfWorker::compute, next.json()).remote();
    inflight.put(ref, new Running(slot, next, attempt));
  }

  /**
   * Tells every worker the job is cancelled (in LOCAL mode they share this JVM's flags). Called by
   * whoever cancels, at once, and again by the pool's loop; telling twice is harmless.
   */
  @Override
  public synchronized void tellCancelled(String jobId) {
    Cancellations.cancel(jobId);
    if (closed) {
      return;
    }
    for (ActorHandle<RayUdfWorker> actor : actors) {
      actor
          .task(RayUdfWorker::cancel, jobId)
          .remote(); // answered at once, on the actor's second thread
    }
  }

  private synchronized void replace(int slot) {
    try {
      actors.get(slot).kill();
    } catch (RuntimeException e) {
      // it is dead already
    }
    actors.set(slot, newActor());
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    return m.split("\n")[0];
  }

  /**
   * Closes this backfill's UDF on each worker (its {@code close()} runs once), then ends the
   * actors.
   */
  @Override
  public synchronized void close() {
    closed = true;
    if (localPool != null) {
      LocalWorkers.close(localPool, udfVersion);
      return;
    }
    RuntimeException failure = null;
    for (ActorHandle<RayUdfWorker> actor : actors) {
      try {
        Ray.get(actor.task(RayUdfWorker::close, udfVersion).remote());
      } catch (RayActorException dead) {
        LOG.debug("a worker was gone at the end of the backfill: {}", firstLine(dead));
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
