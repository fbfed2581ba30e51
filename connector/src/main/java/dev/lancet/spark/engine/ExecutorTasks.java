package dev.lancet.spark.engine;

import dev.lancet.backfill.engine.TaskWorker;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's side of the Spark engine: the workers of each job in this JVM. A task borrows an
 * idle worker of its job (or makes one) and gives it back, so a stateful UDF's {@code setup()} runs
 * once per task slot and job, not once per task. A job's workers are closed (the UDF's {@code
 * close()}) once none of its tasks has run here for {@value #IDLE_CLOSE_MILLIS} ms: Spark has no
 * call that reaches every executor at a job's end.
 */
final class ExecutorTasks {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorTasks.class);

  /** How long a job's workers stay after its last task here. */
  static final long IDLE_CLOSE_MILLIS = 2_000;

  private record Key(String jobId, String udfVersion) {}

  /** A job's workers in this JVM. */
  private static final class Pool {
    final Deque<TaskWorker> idle = new ArrayDeque<>();
    int busy;
    long lastUsed = System.nanoTime();
    boolean closed;
  }

  private static final Map<Key, Pool> POOLS = new ConcurrentHashMap<>();
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "lancet-executor-tasks");
            t.setDaemon(true);
            return t;
          });

  static {
    TIMER.scheduleWithFixedDelay(ExecutorTasks::closeIdle, 500, 500, TimeUnit.MILLISECONDS);
  }

  private ExecutorTasks() {}

  /**
   * Computes one task of a job; returns its outcome. While it runs, {@code rows} carries this JVM's
   * rows in progress for the job to the driver (executors' heartbeats).
   */
  static String compute(String jobId, String udfVersion, String taskJson, RowAccumulators rows) {
    Key key = new Key(jobId, udfVersion);
    Pool pool;
    TaskWorker worker;
    while (true) {
      pool = POOLS.computeIfAbsent(key, k -> new Pool());
      synchronized (pool) {
        if (pool.closed) {
          continue; // closed as this task came: a new pool
        }
        worker = pool.idle.poll();
        pool.busy++;
      }
      break;
    }
    if (worker == null) {
      worker = new TaskWorker(null, node());
    }
    ScheduledFuture<?> watch = watch(jobId, rows);
    TaskContext task = TaskContext.get();
    try {
      // Spark's own retry of a task (its executor was lost): resume from its checkpoints.
      return task != null && task.attemptNumber() > 0
          ? worker.computeAgain(taskJson)
          : worker.compute(taskJson);
    } catch (RuntimeException e) {
      return TaskOutcome.failure(e);
    } finally {
      if (watch != null) {
        watch.cancel(false);
      }
      rows.reportInFlight(0);
      synchronized (pool) {
        pool.busy--;
        pool.idle.push(worker);
        pool.lastUsed = System.nanoTime();
      }
    }
  }

  /**
   * While the task runs: it keeps its rows-in-progress accumulator current, and once Spark kills it
   * because the backfill was cancelled, its workers in this JVM stop before their next batch (a
   * kill for another reason, such as a speculative attempt's loss, lets it finish).
   */
  private static ScheduledFuture<?> watch(String jobId, RowAccumulators rows) {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return null;
    }
    return TIMER.scheduleWithFixedDelay(
        () -> {
          rows.reportInFlight(TaskWorker.rowsInFlight(jobId));
          if (task.isInterrupted()
              && task.getKillReason().isDefined()
              && task.getKillReason().get().equals(SparkWorkers.CANCEL_REASON)) {
            TaskWorker.cancel(jobId);
          }
        },
        100,
        100,
        TimeUnit.MILLISECONDS);
  }

  private static void closeIdle() {
    long now = System.nanoTime();
    POOLS.forEach(
        (key, pool) -> {
          Deque<TaskWorker> closing;
          synchronized (pool) {
            if (pool.busy > 0
                || now - pool.lastUsed < TimeUnit.MILLISECONDS.toNanos(IDLE_CLOSE_MILLIS)) {
              return;
            }
            pool.closed = true;
            POOLS.remove(key, pool);
            closing = new ArrayDeque<>(pool.idle);
            pool.idle.clear();
          }
          for (TaskWorker w : closing) {
            try {
              w.close(key.udfVersion());
            } catch (RuntimeException e) {
              LOG.warn("closing a worker of backfill {} failed: {}", key.jobId(), e.toString());
            }
          }
        });
  }

  /** This executor, as receipts and job records name it: its host and executor id. */
  private static String node() {
    SparkEnv env = SparkEnv.get();
    if (env == null) {
      return "spark";
    }
    return env.blockManager().blockManagerId().host() + " executor " + env.executorId();
  }
}
