package dev.lancet.spark.engine;

import dev.lancet.backfill.BackfillCancelledException;
import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.engine.TaskQueue;
import dev.lancet.backfill.engine.TaskWorker;
import dev.lancet.backfill.engine.WorkTask;
import dev.lancet.backfill.engine.Workers;
import dev.lancet.udf.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceProfile;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * One round of a backfill on Spark's executors: one Spark job whose tasks are the round's work
 * groups, one partition each, and one more for each batch of tasks a result adds. Each task's
 * outcome reaches the driver as the task finishes (Spark's result handler), so commits happen
 * during the job as with Ray. A failure or a cancel cancels the Spark job: nothing new starts,
 * tasks in progress stop before their next batch and keep their checkpoints.
 */
final class SparkWorkers implements Workers {
  /** The reason a Spark job of a cancelled or failed backfill is cancelled with. */
  static final String CANCEL_REASON = "lancet: the backfill was cancelled or failed";

  /** How long a stopped backfill waits for its tasks to end (each stops before its next batch). */
  private static final long TASKS_END_WAIT_MILLIS = 120_000;

  /** How often the rows in progress are handed on. */
  private static final long IN_FLIGHT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SparkWorkers.class);

  private final SparkContext sc;
  private final String udfVersion;
  private final ResourceProfile profile;

  /** The Spark jobs of the round running: its planned tasks', then one per batch added. */
  private volatile List<SimpleFutureAction<BoxedUnit>> jobs = List.of();

  /** {@code profile}: the tasks' resources ({@link TaskResources}), or null for Spark's default. */
  SparkWorkers(SparkContext sc, String udfVersion, ResourceProfile profile) {
    this.sc = sc;
    this.udfVersion = udfVersion;
    this.profile = profile;
  }

  @Override
  public void run(
      List<WorkTask> tasks,
      Consumer<String> onResult,
      Consumer<RuntimeException> onFailure,
      BooleanSupplier cancelled,
      LongConsumer onRowsInFlight) {
    run(new TaskQueue(tasks), onResult, onFailure, cancelled, onRowsInFlight);
  }

  /**
   * Runs the queue's tasks as one Spark job, and what a result adds while it runs (a split
   * fragment's assembly once its last range is back) as one more job at once: Spark's scheduler
   * starts its task on the first slot free once the earlier jobs' tasks have all started, not after
   * they have all ended.
   */
  @Override
  public void run(
      TaskQueue queue,
      Consumer<String> onResult,
      Consumer<RuntimeException> onFailure,
      BooleanSupplier cancelled,
      LongConsumer onRowsInFlight) {
    List<WorkTask> tasks = queue.drain();
    if (tasks.isEmpty()) {
      return;
    }
    LinkedBlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
    RowAccumulators rows = RowAccumulators.register(sc, tasks.get(0).column());
    String jobId = tasks.get(0).jobId();
    // Rows in progress: this JVM's count in local mode, else the executors' heartbeats.
    ExecutorsInFlight heartbeats = sc.isLocal() ? null : new ExecutorsInFlight(rows.inFlightId());
    LongSupplier inFlight =
        heartbeats == null ? () -> TaskWorker.rowsInFlight(jobId) : heartbeats::total;
    if (heartbeats != null) {
      sc.addSparkListener(heartbeats);
    }
    jobs = new CopyOnWriteArrayList<>();
    int[] expected = {tasks.size()};
    Consumer<String> adding =
        outcome -> {
          onResult.accept(outcome);
          List<WorkTask> due = queue.drain();
          if (!due.isEmpty() && !anyFailed()) {
            expected[0] += due.size();
            jobs.add(submit(due, outcomes, rows));
          }
        };
    boolean stopped;
    try {
      jobs.add(submit(tasks, outcomes, rows));
      stopped =
          takeOutcomes(expected, outcomes, adding, onFailure, cancelled, inFlight, onRowsInFlight);
    } finally {
      queue.clear();
      if (heartbeats != null) {
        sc.removeSparkListener(heartbeats);
      }
    }
    Throwable failed = stopped ? null : failureOfJobs();
    if (failed != null) {
      // Cancelled by Spark (a job group, Ctrl-C, the UI) or failed: its other tasks are killed
      // after the job ends, and must not still write when the next run resumes from their files.
      awaitTasksEnded();
      onFailure.accept(failureOf(tasks.get(0).column(), failed));
    }
  }

  /**
   * Why the round's jobs failed, or null: a job Spark ended in preference to one this class then
   * cancelled because of it.
   */
  private Throwable failureOfJobs() {
    Throwable first = null;
    for (SimpleFutureAction<BoxedUnit> job : jobs) {
      scala.util.Try<BoxedUnit> end = job.value().get();
      if (end.isFailure()) {
        Throwable why = end.failed().get();
        if (why.getMessage() == null || !why.getMessage().contains(CANCEL_REASON)) {
          return why;
        }
        first = first == null ? why : first;
      }
    }
    return first;
  }

  /** One Spark job, a task per work group, in the statement's job group. */
  private SimpleFutureAction<BoxedUnit> submit(
      List<WorkTask> tasks, LinkedBlockingQueue<String> outcomes, RowAccumulators rows) {
    List<String> json = tasks.stream().map(WorkTask::json).toList();
    JavaRDD<String> rdd = JavaSparkContext.fromSparkContext(sc).parallelize(json, json.size());
    if (profile != null) {
      rdd = rdd.withResources(profile);
    }
    List<Object> partitions = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      partitions.add(i);
    }
    String description = sc.getLocalProperty("spark.job.description");
    sc.setJobDescription(
        "backfill of column '" + tasks.get(0).column() + "': " + tasks.size() + " work group(s)");
    sc.setLocalProperty("spark.job.interruptOnCancel", "true");
    try {
      return sc.submitJob(
          rdd.rdd(),
          new TaskFunction(tasks.get(0).jobId(), udfVersion, rows),
          JavaConverters.asScalaBuffer(partitions).toSeq(),
          new Handler(outcomes),
          new Done());
    } finally {
      sc.setJobDescription(description);
    }
  }

  /**
   * Hands each task's outcome over as it comes, until the job has ended, and the rows in progress
   * about once a second; a failure or a cancel stops the job. Returns whether it was stopped so.
   */
  private boolean takeOutcomes(
      int[] tasks,
      LinkedBlockingQueue<String> outcomes,
      Consumer<String> onResult,
      Consumer<RuntimeException> onFailure,
      BooleanSupplier cancelled,
      LongSupplier inFlight,
      LongConsumer onRowsInFlight) {
    boolean stopped = false;
    int received = 0;
    long lastInFlight = System.nanoTime();
    while (true) {
      if (!stopped && System.nanoTime() - lastInFlight >= IN_FLIGHT_EVERY_NANOS) {
        lastInFlight = System.nanoTime();
        onRowsInFlight.accept(inFlight.getAsLong());
      }
      String outcome;
      try {
        // Every task answered: the job ends at once; do not wait out a poll for it.
        outcome = outcomes.poll(received == tasks[0] ? 1 : 100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancelJobs();
        throw new BackfillException(
            ErrorCode.LANCET_BACKFILL_CANCELLED, "interrupted while its Spark job ran");
      }
      if (outcome != null) {
        received++;
        if (!stopped) { // else a task that finished as the job was being stopped: not committed
          try {
            RuntimeException failed = TaskOutcome.failureOf(outcome);
            if (failed != null) {
              throw failed;
            }
            onResult.accept(outcome);
          } catch (RuntimeException e) {
            onFailure.accept(e);
            stopped = true;
            cancelJobs();
          }
        }
        continue;
      }
      if (!stopped && cancelled.getAsBoolean()) {
        stopped = true;
        cancelJobs();
      }
      if (!stopped && anyFailed()) {
        cancelJobs(); // a job Spark ended: the round's other jobs end too, and the run fails below
      }
      if (jobs.stream().allMatch(SimpleFutureAction::isCompleted) && outcomes.isEmpty()) {
        if (stopped) {
          awaitTasksEnded();
        }
        return stopped;
      }
    }
  }

  /** A Spark job that failed on its own: cancelled by Spark (job group, Ctrl-C, UI), or failed. */
  private static RuntimeException failureOf(String column, Throwable cause) {
    String why = firstLine(cause.getMessage());
    return why.contains("cancelled") || why.contains("killed")
        ? new BackfillCancelledException(
            "column '" + column + "': the backfill was cancelled (Spark: " + why + ")")
        : new BackfillException(
            ErrorCode.LANCET_BACKFILL_FAILED, "its Spark job failed: " + why, cause);
  }

  /**
   * After a stop, a cancel or a failure: the job is over as soon as Spark ends it, its tasks a
   * batch later. Nothing of theirs may still write when the backfill ends (its next run would
   * resume from their files).
   */
  private void awaitTasksEnded() {
    List<Integer> ids = new ArrayList<>();
    for (SimpleFutureAction<BoxedUnit> job : jobs) {
      JavaConverters.seqAsJavaList(job.jobIds()).forEach(id -> ids.add((Integer) id));
    }
    if (!RunningTasks.awaitEnded(sc, ids, TASKS_END_WAIT_MILLIS)) {
      LOG.warn(
          "the Spark job of a stopped backfill still has tasks running after {} s",
          TASKS_END_WAIT_MILLIS / 1000);
    }
  }

  /** Whether a job of the round has ended in failure (Spark cancelled it, or it failed). */
  private boolean anyFailed() {
    for (SimpleFutureAction<BoxedUnit> job : jobs) {
      if (job.isCompleted() && job.value().get().isFailure()) {
        return true;
      }
    }
    return false;
  }

  private void cancelJobs() {
    for (SimpleFutureAction<BoxedUnit> running : jobs) {
      scala.collection.Seq<Object> ids = running.jobIds();
      JavaConverters.seqAsJavaList(ids).forEach(id -> sc.cancelJob((Integer) id, CANCEL_REASON));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  @Override
  public void tellCancelled(String jobId) {
    cancelJobs();
  }

  @Override
  public void close() {
    // A job's workers on the executors close themselves once idle (ExecutorTasks).
  }

  /** Spark's result handler: runs on the driver as each task finishes. */
  private static final class Handler extends AbstractFunction2<Object, String, BoxedUnit>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final transient LinkedBlockingQueue<String> outcomes;

    Handler(LinkedBlockingQueue<String> outcomes) {
      this.outcomes = outcomes;
    }

    @Override
    public BoxedUnit apply(Object partition, String outcome) {
      outcomes.add(outcome);
      return BoxedUnit.UNIT;
    }
  }

  /** The job's value once every task has finished: nothing. */
  private static final class Done extends AbstractFunction0<BoxedUnit>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public BoxedUnit apply() {
      return BoxedUnit.UNIT;
    }
  }
}
