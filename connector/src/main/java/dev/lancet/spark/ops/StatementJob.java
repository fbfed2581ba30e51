package dev.lancet.spark.ops;

import dev.lancet.backfill.BackfillControl;
import dev.lancet.spark.engine.RunningTasks;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark job that stands for a backfill while it runs, so Spark's own ways of stopping a statement
 * stop it: {@code cancelAllJobs()} (PySpark's Ctrl-C, spark-sql's Ctrl-C), cancelling the
 * statement's job group (a notebook's Cancel button) or killing the job in Spark's UI. The backfill
 * runs on the driver and Ray, not in Spark tasks, so without this job Spark has nothing to cancel.
 * The job holds one task slot, which sleeps until the backfill ends or Spark kills it; it is
 * started in the statement's job group and with its description.
 */
final class StatementJob implements AutoCloseable {
  /** Spark conf: whether a backfill runs a Spark job that stands for it (default true). */
  static final String ENABLED = "spark.lancet.backfill.spark-job";

  /** How long {@link #close()} waits for the standing task to end. */
  private static final long TASK_END_WAIT_MILLIS = 5_000;

  private final SparkContext sc;
  private Thread starter;
  private volatile JavaFutureAction<Void> job;
  private volatile boolean over;

  private StatementJob(SparkContext sc) {
    this.sc = sc;
  }

  /**
   * Runs {@code work}; if the standing job is cancelled meanwhile, {@code control} cancels the
   * backfill.
   */
  static <T> T run(
      SparkSession spark, String description, BackfillControl control, Supplier<T> work) {
    if (!Boolean.parseBoolean(spark.conf().get(ENABLED, "true"))) {
      return work.get();
    }
    try (StatementJob standing = start(spark.sparkContext(), description, control)) {
      return work.get();
    }
  }

  private static StatementJob start(SparkContext sc, String description, BackfillControl control) {
    StandingJobLogFilter.install();
    Properties statement = new Properties();
    statement.putAll(sc.getLocalProperties()); // the statement's job group, scheduler pool, ...
    StatementJob standing = new StatementJob(sc);
    // Submitted on a thread of its own (the statement's properties are thread-local) without
    // waiting: the backfill plans meanwhile, and one with nothing to do does not wait for Spark.
    standing.starter =
        new Thread(
            () -> {
              sc.setLocalProperties(statement);
              sc.setJobDescription(description);
              sc.setLocalProperty("spark.job.interruptOnCancel", "true");
              JavaFutureAction<Void> job =
                  JavaSparkContext.fromSparkContext(sc)
                      .parallelize(List.of(0), 1)
                      .foreachPartitionAsync(new Standing());
              standing.job = job;
              try {
                job.get();
              } catch (Exception cancelled) {
                if (!standing.over) {
                  control.cancel("the Spark job of this statement was cancelled");
                }
              }
            },
            "lancet-statement-job");
    standing.starter.setDaemon(true);
    standing.starter.start();
    return standing;
  }

  /**
   * Ends the job: cancelled with a reason whose lost-task warning is not logged, and waited for
   * until its task has ended (a few seconds at most). A statement that fails ends the console's
   * session at once; a task still ending then reports to a stopped scheduler, which logs an error
   * with a stack trace after the statement's one-line error.
   */
  @Override
  public void close() {
    over = true;
    JavaFutureAction<Void> submitted = job;
    long deadline = System.nanoTime() + TASK_END_WAIT_MILLIS * 1_000_000;
    while (submitted == null && starter.isAlive() && System.nanoTime() < deadline) {
      // Submitted a moment from now: it must be cancelled, not left running.
      java.util.concurrent.locks.LockSupport.parkNanos(100_000);
      submitted = job;
    }
    if (submitted == null) {
      return; // the submit failed (the context is stopping)
    }
    List<Integer> ids = submitted.jobIds();
    if (ids.isEmpty()) {
      submitted.cancel(true);
    } else {
      ids.forEach(id -> sc.cancelJob(id, StandingJobLogFilter.REASON));
    }
    RunningTasks.awaitEnded(sc, ids, TASK_END_WAIT_MILLIS);
  }

  /** The task: sleeps until Spark kills it. */
  private static final class Standing implements VoidFunction<Iterator<Integer>> {
    @Override
    public void call(Iterator<Integer> partition) throws InterruptedException {
      TaskContext task = TaskContext.get();
      while (!task.isInterrupted()) {
        Thread.sleep(100);
      }
    }
  }
}
