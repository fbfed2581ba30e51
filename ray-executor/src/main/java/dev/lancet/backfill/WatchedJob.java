package dev.lancet.backfill;

import dev.lancet.backfill.run.JobWatch;
import dev.lancet.backfill.store.JobRecords;
import dev.lancet.backfill.store.JobSignals;
import dev.lancet.lance.TableLocation;

/**
 * Work of another kind than a backfill that runs as a job of a table (a materialized view's
 * refresh), watched as a backfill is while it runs: its running record (so {@code SHOW BACKFILL
 * JOBS} lists it, and a driver killed mid-way leaves it abandoned), its driver's heartbeat, and a
 * cancel asked for from any session ({@code CANCEL BACKFILL 'id'}) or from this JVM's console
 * (Ctrl-C), handed to its control. The caller records its end ({@link BackfillJobs#record}) after
 * closing it.
 */
public final class WatchedJob implements AutoCloseable {
  private final JobWatch watch;
  private final String jobId;

  private WatchedJob(JobWatch watch, String jobId) {
    this.watch = watch;
    this.jobId = jobId;
  }

  /** Starts watching {@code running} (a record of status RUNNING) of the table at {@code table}. */
  public static WatchedJob start(
      TableLocation table, BackfillJob running, BackfillControl control) {
    if (running.status() != JobStatus.RUNNING) {
      throw new IllegalArgumentException("a watched job starts running: " + running.status());
    }
    RunningBackfills.started(running.jobId(), control);
    try {
      return new WatchedJob(
          JobWatch.start(
              new JobSignals(table),
              running.jobId(),
              control,
              () -> JobRecords.write(table, running)),
          running.jobId());
    } catch (RuntimeException e) {
      RunningBackfills.ended(running.jobId());
      throw e;
    }
  }

  /** Stops watching; the running record is written by now, so a final one written next wins. */
  @Override
  public void close() {
    try {
      watch.close();
    } finally {
      RunningBackfills.ended(jobId);
    }
  }
}
