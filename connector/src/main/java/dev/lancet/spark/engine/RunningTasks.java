package dev.lancet.spark.engine;

import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaSparkStatusTracker;

/**
 * Waits for the tasks of a backfill's Spark job that was stopped, cancelled or failed to have
 * ended. Spark marks a cancelled job failed at once and kills its tasks after: a task of a backfill
 * may still be writing when the job is already over. It asks Spark's status tracker, which lags a
 * job just submitted (a statement's standing job listens instead: {@code StandingTaskEnds}); a
 * backfill's job has run a while by the time it is stopped.
 */
final class RunningTasks {
  private RunningTasks() {}

  /** Waits until no task of the jobs runs, or {@code millis} passed; returns whether none runs. */
  static boolean awaitEnded(SparkContext sc, List<Integer> jobIds, long millis) {
    JavaSparkStatusTracker tracker = JavaSparkContext.fromSparkContext(sc).statusTracker();
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (running(tracker, jobIds)) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private static boolean running(JavaSparkStatusTracker tracker, List<Integer> jobIds) {
    for (int id : jobIds) {
      SparkJobInfo job = tracker.getJobInfo(id);
      if (job == null) {
        continue;
      }
      for (int stageId : job.stageIds()) {
        SparkStageInfo stage = tracker.getStageInfo(stageId);
        if (stage != null && stage.numActiveTasks() > 0) {
          return true;
        }
      }
    }
    return false;
  }
}
