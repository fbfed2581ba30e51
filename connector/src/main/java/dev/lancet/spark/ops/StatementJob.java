package dev.lancet.spark.ops;

import dev.lancet.backfill.BackfillControl;
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
  private final StandingTaskEnds ends;

  /** Submits the job (the backfill goes on meanwhile); {@link #close()} waits for it first. */
  private Thread starter;

  /** The job, once {@link #starter} submitted it; null if it could not. */
  private volatile JavaFutureAction<Void> job;

  private volatile boolean over;

  private StatementJob(SparkContext sc, StandingTaskEnds ends) {
    this.sc = sc;
    this.ends = ends;
  }

  /**
   * Runs {@code work}; the standing job starts when the backfill starts work ({@link
   * BackfillControl#onWork}): a backfill with nothing to do ends in tens of milliseconds and runs
   * no Spark job (it would cost ~20 ms: the job's submit, then its task's end). If the standing job
   * is cancelled meanwhile, {@code control} cancels the backfill.
   */
  static <T> T run(
      SparkSession spark, String description, BackfillControl control, Supplier<T> work) {
    if (!Boolean.parseBoolean(spark.conf().get(ENABLED, "true"))) {
      return work.get();
    }
    StatementJob[] standing = {null};
    control.onWork(() -> standing[0] = start(spark.sparkContext(), description, control));
    try {
      return work.get();
    } finally {
      if (standing[0] != null) {
        standing[0].close();
      }
    }
  }

  private static StatementJob start(SparkContext sc, String description, BackfillControl control) {
    StandingJobLogFilter.install();
    Properties statement = new Properties();
    statement.putAll(sc.getLocalProperties()); // the statement's job group, scheduler pool, ...
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
    String id = java.util.UUID.randomUUID().toString();
    StandingTaskEnds ends = new StandingTaskEnds(id);
    sc.addSparkListener(ends); // before the submit: it must see the job start
    StatementJob standing = new StatementJob(sc, ends);
    // Submitted from a thread of its own, with the statement's properties, while the backfill
    // starts its tasks (the submit takes a few milliseconds of the driver's).
    standing.starter =
        new Thread(
            () -> {
              sc.setLocalProperties(statement);
              sc.setJobDescription(description);
              sc.setLocalProperty("spark.job.interruptOnCancel", "true");
              sc.setLocalProperty(StandingTaskEnds.PROPERTY, id);
              standing.job = jsc.parallelize(List.of(0), 1).foreachPartitionAsync(new Standing());
              Thread watcher =
                  new Thread(
                      () -> {
                        try {
                          standing.job.get();
                        } catch (Exception cancelled) {
                          if (!standing.over) {
                            control.cancel("the Spark job of this statement was cancelled");
                          }
                        }
                      },
                      "lancet-statement-job-watch");
              watcher.setDaemon(true);
              watcher.start();
            },
            "lancet-statement-job");
    standing.starter.start();
    return standing;
  }

  /**
   * Ends the job: cancelled with a reason whose lost-task warning is not logged, and waited for
   * until Spark's scheduler has seen its task end (a few seconds at most; {@link StandingTaskEnds}:
   * the status tracker can lag the cancel of a job just submitted). A statement that fails ends the
   * console's session at once; a task still ending then reports to a stopped scheduler, which logs
   * an error with a stack trace after the statement's one-line error.
   */
  @Override
  public void close() {
    over = true;
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (job == null) { // the submit failed: nothing stands
      sc.removeSparkListener(ends);
      return;
    }
    List<Integer> ids = job.jobIds();
    if (ids.isEmpty()) {
      job.cancel(true);
    } else {
      ids.forEach(id -> sc.cancelJob(id, StandingJobLogFilter.REASON));
    }
    try {
      ends.awaitOver(TASK_END_WAIT_MILLIS);
    } finally {
      sc.removeSparkListener(ends);
    }
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
