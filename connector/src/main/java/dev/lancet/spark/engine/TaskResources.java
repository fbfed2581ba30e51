package dev.lancet.spark.engine;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.UdfResources;
import org.apache.spark.SparkContext;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;

/**
 * A UDF's {@code num_gpus} and {@code num_cpus} as Spark's stage-level scheduling: a task resource
 * profile, so each task of the backfill holds that many GPUs and cores of its executor. Spark
 * supports it on standalone, YARN and Kubernetes clusters; where it cannot, the backfill fails in
 * one line before any task, never on CPUs instead of GPUs.
 */
final class TaskResources {
  private TaskResources() {}

  /** The profile the backfill's tasks run with, or null for Spark's default (one core a task). */
  static ResourceProfile profile(SparkContext sc, UdfResources resources) {
    int cpus = (int) Math.ceil(resources.numCpus());
    double gpus = resources.numGpus();
    if (gpus <= 0 && cpus <= 1) {
      return null;
    }
    String asks = gpus > 0 ? gpus + " GPU(s)" : cpus + " CPUs";
    if (sc.isLocal()) {
      throw new LancetException(
          ErrorCode.LANCET_UNSUPPORTED,
          "the UDF asks for %s a task; Spark in local mode (%s) cannot give a task resources of"
              + " its own (stage-level scheduling needs a standalone, YARN or Kubernetes cluster):"
              + " run it on a cluster, or with engine = 'ray'",
          asks,
          sc.master());
    }
    if (gpus > 0 && !sc.getConf().contains("spark.executor.resource.gpu.amount")) {
      throw new LancetException(
          ErrorCode.LANCET_UNSUPPORTED,
          "the UDF asks for %s a task, and this application's executors have none"
              + " (spark.executor.resource.gpu.amount is not set): give the executors GPUs, or"
              + " run it with engine = 'ray'",
          asks);
    }
    TaskResourceRequests task = new TaskResourceRequests().cpus(Math.max(1, cpus));
    if (gpus > 0) {
      task.resource("gpu", gpus);
    }
    return new ResourceProfileBuilder().require(task).build();
  }
}
