package dev.lancet.spark.engine;

import dev.lancet.backfill.engine.TaskWorker;
import java.io.Serializable;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * A Spark task's function: computes the one task its partition holds on this executor and returns
 * its outcome ({@link TaskOutcome}).
 */
final class TaskFunction extends AbstractFunction1<Iterator<String>, String>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String jobId;
  private final String udfVersion;
  private final RowAccumulators rows;

  TaskFunction(String jobId, String udfVersion, RowAccumulators rows) {
    this.jobId = jobId;
    this.udfVersion = udfVersion;
    this.rows = rows;
  }

  @Override
  public String apply(Iterator<String> partition) {
    long start = System.nanoTime();
    String outcome = ExecutorTasks.compute(jobId, udfVersion, partition.next(), rows);
    rows.addComputeTime(System.nanoTime() - start);
    if (TaskOutcome.failureOf(outcome) == null) {
      rows.add(TaskWorker.rowCounts(outcome));
    }
    return outcome;
  }
}
