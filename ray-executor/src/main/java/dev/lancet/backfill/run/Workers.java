package dev.lancet.backfill.run;

import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.plan.WorkGroup;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The workers of one backfill, as the runner sees them whatever runs them: each holds the UDF and
 * computes one work group at a time; a worker that finishes takes the next group. Opened by a
 * {@link WorkerEngine}; closing them closes the UDF on each worker once.
 */
public interface Workers extends AutoCloseable {
  /**
   * Runs every group; {@code onResult} gets each group's receipts, {@code onFailure} each failure,
   * in completion order. A failure (or a throwing {@code onResult}) stops the queue: what runs
   * finishes, nothing new starts. Once {@code cancelled} says so, the workers are told and the
   * queue stops. {@code onRowsInFlight} gets, about once a second, the rows scanned so far in the
   * groups in progress. Returns when nothing runs any more.
   */
  void run(
      List<WorkGroup> groups,
      Consumer<List<FragmentReceipt>> onResult,
      Consumer<RuntimeException> onFailure,
      BooleanSupplier cancelled,
      LongConsumer onRowsInFlight);

  /** Tells every worker the job is cancelled; they stop before their next batch. Idempotent. */
  void tellCancelled(String jobId);

  @Override
  void close();
}
