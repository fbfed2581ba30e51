package dev.lancet.examples;

import java.util.Map;
import org.apache.spark.TaskContext;

/**
 * Which attempt of its Spark task computed a row ("attempt 0", "attempt 1", ...; "no task" outside
 * Spark's executors). The first attempt of the job's first task is a straggler: it waits {@code
 * delay_ms} (default 200) per row, so Spark's speculation starts a second attempt of it elsewhere.
 * For trying speculative and duplicate attempts on the engine {@code spark}.
 */
public class TaskAttempt {
  private final long delayMillis;

  public TaskAttempt(Map<String, String> options) {
    this.delayMillis = Long.parseLong(options.getOrDefault("delay_ms", "200"));
  }

  public String call(long id) throws InterruptedException {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return "no task";
    }
    if (task.partitionId() == 0 && task.attemptNumber() == 0) {
      Thread.sleep(delayMillis);
    }
    return "attempt " + task.attemptNumber();
  }
}
