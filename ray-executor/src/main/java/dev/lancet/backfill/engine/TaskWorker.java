package dev.lancet.backfill.engine;

import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.compute.Cancellations;
import dev.lancet.backfill.compute.InFlightRows;
import dev.lancet.backfill.compute.UdfWorker;
import dev.lancet.backfill.plan.FusedGroups;
import java.util.List;

/**
 * What computes tasks where an engine runs them (a Ray actor, a Spark executor): it keeps the UDF
 * instance of each UDF version for its life, so a stateful UDF's {@code setup()} runs once per
 * worker, and computes one task at a time.
 */
public final class TaskWorker {
  private final UdfWorker worker;

  /**
   * A worker on {@code node} (as receipts name it); {@code driverLoader} is where a worker in the
   * driver's JVM loads UDF classes from, null for one that loads them from each task's jars.
   */
  public TaskWorker(ClassLoader driverLoader, String node) {
    this.worker =
        new UdfWorker(driverLoader) {
          @Override
          protected String nodeName() {
            return node;
          }
        };
  }

  /** Computes a task ({@link WorkTask#json()}); returns its result for the driver. */
  public String compute(String taskJson) {
    return worker.compute(taskJson);
  }

  /**
   * Computes a task the engine runs again (its earlier attempt's worker was lost): it looks for
   * that attempt's checkpoints and resumes from them.
   */
  public String computeAgain(String taskJson) {
    return worker.compute(FusedGroups.retryJson(taskJson));
  }

  /**
   * The rows a task's result counts: computed, reused (skipped: current or checkpointed) and
   * failed, for an engine's own metrics (Spark's accumulators).
   */
  public static long[] rowCounts(String result) {
    long[] counts = new long[3];
    List<String> each =
        FusedGroups.Results.isFused(result)
            ? FusedGroups.Results.fromJson(result).results()
            : List.of(result);
    for (FragmentReceipt r :
        each.stream().flatMap(json -> FragmentReceipt.listFromJson(json).stream()).toList()) {
      counts[0] += r.counts().computed();
      counts[1] += r.counts().reused();
      counts[2] += r.counts().failed();
    }
    return counts;
  }

  /**
   * Rows scanned so far by this JVM's tasks of a job still in progress: what moves the job's
   * progress within a work group (the driver counts a group from its result once it returns).
   */
  public static long rowsInFlight(String jobId) {
    return InFlightRows.total(jobId);
  }

  /** Tells every worker of this JVM that a job is cancelled: they stop before their next batch. */
  public static void cancel(String jobId) {
    Cancellations.cancel(jobId);
  }

  /** Closes the UDF instance of one UDF version and the tables it opened. */
  public void close(String udfVersion) {
    worker.close(udfVersion);
  }
}
