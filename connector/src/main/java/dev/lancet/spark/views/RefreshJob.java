package dev.lancet.spark.views;

import dev.lancet.backfill.BackfillControl;
import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.BackfillJobs;
import dev.lancet.backfill.BackfillProgress;
import dev.lancet.backfill.JobStatus;
import dev.lancet.backfill.WatchedJob;
import dev.lancet.lance.TableLocation;
import dev.lancet.spark.ops.ProgressListeners;
import dev.lancet.spark.ops.StandingJobLogFilter;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.UUID;
import org.apache.spark.SparkContext;

/**
 * A view's refresh as a job of the view: from its first change on it is watched as a backfill is
 * (its running record and heartbeat, and a cancel from any session, {@code CANCEL BACKFILL}, or
 * this JVM's console, Ctrl-C, reaches its {@link #control()}), its Spark jobs carry a tag by which
 * that cancel stops them, and its end is recorded (column {@value #COLUMN}): succeeded, failed or
 * cancelled, with the source rows its UDFs were called for. A refresh with nothing to do records
 * nothing.
 */
final class RefreshJob {
  /** The column a refresh's job record names. */
  static final String COLUMN = "(refresh)";

  private final TableLocation view;
  private final String jobId = UUID.randomUUID().toString();
  private final long started = System.currentTimeMillis();
  private final long versionBefore;
  private final BackfillControl control = new BackfillControl();
  private final SparkContext sc;
  private final String tag;
  private WatchedJob watch;

  private RefreshJob(SparkContext sc, TableLocation view, long versionBefore) {
    this.sc = sc;
    this.view = view;
    this.versionBefore = versionBefore;
    this.tag = StandingJobLogFilter.VIEW_TAG + "refresh-" + jobId;
  }

  /** A refresh of the view at {@code view}, at version {@code versionBefore}, starts. */
  static RefreshJob start(SparkContext sc, TableLocation view, long versionBefore) {
    RefreshJob job = new RefreshJob(sc, view, versionBefore);
    StandingJobLogFilter.install(); // a cancel's killed tasks are reported once, by the refresh
    sc.addJobTag(job.tag);
    job.control.onCancel(() -> sc.cancelJobsWithTag(job.tag));
    return job;
  }

  /** The job's id (its record's, and its failed rows'). */
  String jobId() {
    return jobId;
  }

  /** The view's version before the refresh. */
  long versionBefore() {
    return versionBefore;
  }

  /** What cancels the refresh; checked before each group. */
  BackfillControl control() {
    return control;
  }

  /**
   * The refresh has work ({@code fragments} source fragments to compute): from now on it is a
   * running job of the view.
   */
  void working(int fragments) {
    if (watch == null) {
      watch =
          WatchedJob.start(
              view,
              record(JobStatus.RUNNING)
                  .fragmentsTotal(fragments)
                  .tableVersion(versionBefore)
                  .build(),
              control);
    }
  }

  /**
   * Reports how far the refresh is (to lancet-sql's progress bar): {@code done} of {@code total}
   * source fragments (or groups) computed, {@code rowsDone} of {@code rowsTotal} source rows (0
   * when unknown: the fraction is then the fragments').
   */
  void progress(int done, int total, long rowsDone, long rowsTotal) {
    long elapsed = System.currentTimeMillis() - started;
    ProgressListeners.report(
        new BackfillProgress(
            COLUMN,
            done,
            total,
            rowsDone,
            rowsDone * 1000.0 / Math.max(1, elapsed),
            rowsTotal,
            rowsTotal > 0 ? (double) rowsDone / rowsTotal : total > 0 ? (double) done / total : 1,
            elapsed,
            true));
  }

  /** The refresh ended with {@code done}; recorded when it did something. */
  MaterializedViews.Outcome succeeded(MaterializedViews.Outcome done) {
    end();
    if (watch != null) {
      long rows = done.sourceRowsRead();
      write(
          record(JobStatus.SUCCEEDED)
              .fragmentsDone(done.fragmentsComputed())
              .fragmentsTotal(done.fragmentsComputed())
              .rowsComputed(rows)
              .rowsFailed(done.rowsFailed())
              .rowsPerSecond(rows * 1000.0 / Math.max(1, System.currentTimeMillis() - started))
              .tableVersion(done.viewVersion()));
    }
    return done;
  }

  /** The refresh failed with {@code e} (or was cancelled); recorded, and returned to throw. */
  RuntimeException failed(RuntimeException e) {
    end();
    long versionAfter;
    try {
      versionAfter = MaterializedViews.version(view);
    } catch (RuntimeException unreadable) {
      versionAfter = versionBefore; // the view cannot be read now: the failure says why
    }
    write(
        record(
                e instanceof LancetException l && l.code() == ErrorCode.LANCET_BACKFILL_CANCELLED
                    ? JobStatus.CANCELLED
                    : JobStatus.FAILED)
            .tableVersion(versionAfter)
            .error(e.getMessage()));
    return e;
  }

  /** Its Spark tag and its watch go; the running record is written by then. */
  private void end() {
    sc.removeJobTag(tag);
    if (watch != null) {
      watch.close();
    }
  }

  private void write(BackfillJob.Builder record) {
    BackfillJobs.record(view, record.finishedAt(System.currentTimeMillis()).build());
  }

  private BackfillJob.Builder record(JobStatus status) {
    return new BackfillJob.Builder()
        .jobId(jobId)
        .column(COLUMN)
        .udfVersion("")
        .readVersion(versionBefore)
        .status(status)
        .startedAt(started);
  }
}
