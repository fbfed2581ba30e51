package dev.lancet.spark.engine;

import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaSparkStatusTracker;

/**
 * Waits for a cancelled Spark job's tasks to have ended. Spark marks a cancelled job failed at once
 * and kills its tasks after: a task of a backfill may still be writing, and one of a statement's
 * standing job still reporting, when the job is already over.
 */
public final class RunningTasks {
  private RunningTasks() {}

  /** Waits until no task of the jobs runs, or {@code millis} passed; returns whether none runs. */
  public static boolean awaitEnded(SparkContext sc, List<Integer> jobIds, long millis) {
    JavaSparkStatusTracker tracker = JavaSparkContext.fromSparkContext(sc).statusTracker();
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (running(tracker, jobIds)) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(2); // a statement's end waits on it
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
