package dev.lancet.ray;

import dev.lancet.backfill.compute.UdfWorker;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workers of a backfill in Ray's LOCAL mode, where they run as Ray normal tasks rather than
 * actors: Ray 2.39's LOCAL mode keeps the current actor in one field shared by all threads, so two
 * actors' calls running at once can land on the same instance (and then queue on it). Each pool
 * holds {@code size} {@link UdfWorker}s; a task borrows one for a work group and gives it back, so
 * each worker computes one group at a time and its UDF's {@code setup()} still runs once per
 * worker.
 */
public final class LocalWorkers {
  private static final Map<String, BlockingQueue<UdfWorker>> POOLS = new ConcurrentHashMap<>();

  private LocalWorkers() {}

  /** A new pool of {@code size} workers loading UDF classes from {@code loader}; returns its id. */
  static String open(int size, ClassLoader loader) {
    BlockingQueue<UdfWorker> workers = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      workers.add(new UdfWorker(loader));
    }
    String id = UUID.randomUUID().toString();
    POOLS.put(id, workers);
    return id;
  }

  /** The Ray task: computes one work group on a worker of the pool. */
  public static String compute(String poolId, String workGroupJson) throws InterruptedException {
    BlockingQueue<UdfWorker> workers = POOLS.get(poolId);
    if (workers == null) {
      throw new IllegalStateException("backfill worker pool " + poolId + " is closed");
    }
    UdfWorker worker = workers.take();
    try {
      return worker.compute(workGroupJson);
    } finally {
      workers.add(worker);
    }
  }

  /**
   * Closes the UDF of every worker of the pool (each {@code close()} once) and forgets the pool.
   */
  static void close(String poolId, String udfVersion) {
    BlockingQueue<UdfWorker> workers = POOLS.remove(poolId);
    if (workers == null) {
      return;
    }
    RuntimeException failure = null;
    for (UdfWorker w : workers) {
      try {
        w.close(udfVersion);
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
