package dev.lancet.spark.engine;

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

  TaskFunction(String jobId, String udfVersion) {
    this.jobId = jobId;
    this.udfVersion = udfVersion;
  }

  @Override
  public String apply(Iterator<String> partition) {
    return ExecutorTasks.compute(jobId, udfVersion, partition.next());
  }
}
