package dev.lancet.examples;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Which GPU a row was computed on, as Spark assigned it to the task (the engine {@code spark}, a
 * column registered with {@code num_gpus}): "<host> gpu <address>", or "no gpu" outside a Spark
 * task or without one. What a model UDF reads to pick its device.
 */
public class TaskGpu {
  public String call(long id) {
    TaskContext task = TaskContext.get();
    if (task == null || !task.resources().contains("gpu")) {
      return "no gpu";
    }
    ResourceInformation gpu = task.resources().apply("gpu");
    return "gpu " + String.join(",", gpu.addresses());
  }
}
