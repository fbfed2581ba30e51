package dev.lancet.backfill.engine;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The workers of one backfill, as the runner sees them whatever runs them: each holds the UDF and
 * computes one task (a work group) at a time; a worker that finishes takes the next. Opened by a
 * {@link WorkerEngine}; closing them closes the UDF on each worker once.
 */
public interface Workers extends AutoCloseable {
  /**
   * Runs every task; {@code onResult} gets each task's result (what {@link TaskWorker#compute}
   * returned), {@code onFailure} each failure, in completion order. A failure (or a throwing {@code
   * onResult}) stops the queue: nothing new starts. Once {@code cancelled} says so, the workers are
   * told and the queue stops. {@code onRowsInFlight} gets, about once a second, the rows scanned so
   * far in the tasks in progress. Returns when nothing runs any more.
   */
  void run(
      List<WorkTask> tasks,
      Consumer<String> onResult,
      Consumer<RuntimeException> onFailure,
      BooleanSupplier cancelled,
      LongConsumer onRowsInFlight);

  /**
   * Runs the queue's tasks and those its results add ({@link TaskQueue#addDue} from {@code
   * onResult}) until none is waiting or running, as {@link #run(List, Consumer, Consumer,
   * BooleanSupplier, LongConsumer)} runs a list. This default runs the tasks waiting, then the ones
   * their results added, and so on (an engine that takes tasks while it runs overrides it); a
   * failure or a cancel ends it.
   */
  default void run(
      TaskQueue queue,
      Consumer<String> onResult,
      Consumer<RuntimeException> onFailure,
      BooleanSupplier cancelled,
      LongConsumer onRowsInFlight) {
    boolean[] failed = {false};
    Consumer<RuntimeException> noting =
        e -> {
          failed[0] = true;
          onFailure.accept(e);
        };
    for (List<WorkTask> batch = queue.drain();
        !batch.isEmpty() && !failed[0] && !cancelled.getAsBoolean();
        batch = queue.drain()) {
      run(batch, onResult, noting, cancelled, onRowsInFlight);
    }
    queue.clear();
  }

  /** Tells every worker the job is cancelled; they stop before their next batch. Idempotent. */
  void tellCancelled(String jobId);

  @Override
  void close();
}
