package dev.lancet.ray;

import dev.lancet.backfill.compute.InFlightRows;
import io.ray.api.ActorHandle;
import io.ray.api.ObjectRef;
import io.ray.api.Ray;
import io.ray.api.WaitResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Asks the workers, about once a second, how many rows their fragments in progress have scanned,
 * and hands the sum on: in LOCAL mode from this JVM's count, on a cluster from one non-blocking
 * call per actor (answered on its second thread; a worker JVM hosting two actors counts once).
 * Never waits: an answer not in yet is taken at a later tick.
 */
final class InFlightPoll {
  private static final long EVERY_MILLIS = 1_000;

  private final String jobId;
  private final List<ActorHandle<RayUdfWorker>> actors; // empty in LOCAL mode
  private final LongConsumer onRows;
  private final Map<Integer, ObjectRef<String>> asked = new HashMap<>();
  private final Map<String, Long> rowsByJvm = new HashMap<>();
  private long last = System.currentTimeMillis();

  InFlightPoll(String jobId, List<ActorHandle<RayUdfWorker>> actors, LongConsumer onRows) {
    this.jobId = jobId;
    this.actors = actors;
    this.onRows = onRows;
  }

  /** Called by the pool's loop; reports at most once a second. */
  void tick() {
    long now = System.currentTimeMillis();
    if (now - last < EVERY_MILLIS) {
      return;
    }
    last = now;
    if (actors.isEmpty()) {
      onRows.accept(InFlightRows.total(jobId));
      return;
    }
    collect();
    for (int slot = 0; slot < actors.size(); slot++) {
      if (!asked.containsKey(slot)) {
        asked.put(slot, actors.get(slot).task(RayUdfWorker::rowsInFlight, jobId).remote());
      }
    }
    onRows.accept(rowsByJvm.values().stream().mapToLong(Long::longValue).sum());
  }

  /** A fragment finished: what its worker counted is the receipt's now. */
  void forgetCounts() {
    rowsByJvm.clear();
  }

  private void collect() {
    if (asked.isEmpty()) {
      return;
    }
    List<ObjectRef<String>> refs = new ArrayList<>(asked.values());
    WaitResult<String> ready = Ray.wait(refs, refs.size(), 0);
    for (ObjectRef<String> ref : ready.getReady()) {
      asked.values().remove(ref);
      try {
        String[] answer = Ray.get(ref).split(" ");
        rowsByJvm.put(answer[0], Long.parseLong(answer[1]));
      } catch (RuntimeException e) {
        // its worker died: the pool retries the group; the count comes back with the new worker
      }
    }
  }
}
