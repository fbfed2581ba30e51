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
 * one line before any task, never on CPUs instead of GPUs. A task cannot ask Spark for memory (an
 * executor's memory is set when it starts), so {@code memory} is checked instead: the executors'
 * memory per task slot must hold it, or the backfill fails in one line before any task.
 */
final class TaskResources {
  private TaskResources() {}

  /** The profile the backfill's tasks run with, or null for Spark's default (one core a task). */
  static ResourceProfile profile(SparkContext sc, UdfResources resources) {
    checkMemory(sc, resources);
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

  /**
   * Fails when the UDF's {@code memory} is more than a task of this application can have: the
   * executor's memory over the tasks it runs at once (its cores over the task's).
   */
  private static void checkMemory(SparkContext sc, UdfResources resources) {
    long asked = resources.memoryBytes();
    if (asked <= 0) {
      return;
    }
    long executorBytes;
    int slots;
    String where;
    if (sc.isLocal()) {
      executorBytes = Runtime.getRuntime().maxMemory();
      slots = Math.max(1, sc.defaultParallelism());
      where = "the driver's heap (" + mib(executorBytes) + ") over its " + slots + " task slots";
    } else {
      executorBytes = (long) sc.executorMemory() * 1024 * 1024;
      int cores = sc.getConf().getInt("spark.executor.cores", 0);
      int executors = Math.max(1, sc.getExecutorMemoryStatus().size() - 1);
      if (cores <= 0) {
        cores = Math.max(1, sc.defaultParallelism() / executors);
      }
      int taskCpus = Math.max(1, (int) Math.ceil(resources.numCpus()));
      slots = Math.max(1, cores / taskCpus);
      where =
          "spark.executor.memory ("
              + mib(executorBytes)
              + ") over the "
              + slots
              + " task(s) an executor of "
              + cores
              + " core(s) runs at once";
    }
    long perTask = executorBytes / slots;
    if (perTask < asked) {
      throw new LancetException(
          ErrorCode.LANCET_UNSUPPORTED,
          "the UDF asks for %s a task, and a task of this application has %s: %s. Give the"
              + " executors more memory (spark.executor.memory), ask for more num_cpus per task,"
              + " or run it with engine = 'ray'",
          mib(asked),
          mib(perTask),
          where);
    }
  }

  private static String mib(long bytes) {
    return bytes / (1024 * 1024) + " MiB";
  }
}
