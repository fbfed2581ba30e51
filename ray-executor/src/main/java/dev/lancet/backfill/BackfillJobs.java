package dev.lancet.backfill;

import dev.lancet.backfill.store.JobRecords;
import dev.lancet.lance.TableLocation;
import java.util.List;
import java.util.Map;

/** The backfill jobs of a table, read from its {@code _lancet/jobs} Lance table. */
public final class BackfillJobs {
  private BackfillJobs() {}

  /**
   * The table's jobs, oldest first, each in its latest state: {@link JobStatus#RUNNING} while its
   * driver's heartbeat is recent, {@link JobStatus#ABANDONED} once it stopped without ending the
   * job.
   */
  public static List<BackfillJob> list(String datasetUri, Map<String, String> storageOptions) {
    return list(new TableLocation(datasetUri, storageOptions));
  }

  /** {@link #list(String, Map)} of the table at {@code table}. */
  public static List<BackfillJob> list(TableLocation table) {
    return JobRecords.list(table);
  }

  /**
   * Appends the record of work done outside the backfill engine on the table (a materialized view's
   * refresh), so it is listed with its backfills. Failing to write it is only logged.
   */
  public static void record(TableLocation table, BackfillJob job) {
    JobRecords.write(table, job);
  }

  /**
   * The rows whose UDF call failed, of one job ({@code jobId}) or of every job (null), oldest
   * first.
   */
  public static List<RecordedError> errors(
      String datasetUri, Map<String, String> storageOptions, String jobId) {
    return errors(new TableLocation(datasetUri, storageOptions), jobId);
  }

  /** {@link #errors(String, Map, String)} of the table at {@code table}. */
  public static List<RecordedError> errors(TableLocation table, String jobId) {
    return dev.lancet.backfill.store.ErrorRecords.list(table, jobId);
  }

  /**
   * Records failed rows of source fragment {@code fragmentId} for job {@code jobId} of work other
   * than a backfill (a materialized view's refresh, column {@code column}): {@code SHOW BACKFILL
   * ERRORS} lists them with the backfills'.
   */
  public static void recordErrors(
      TableLocation table, String jobId, String column, int fragmentId, List<RowError> errors) {
    dev.lancet.backfill.store.ErrorRecords.record(table, jobId, column, fragmentId, errors);
  }

  /**
   * Asks a running job of the table to stop: at once when it runs in this JVM, else its driver sees
   * the request within a second. Returns the job as it was, or null when the table has no such job.
   */
  public static BackfillJob cancel(
      String datasetUri, Map<String, String> storageOptions, String jobId, String reason) {
    return cancel(new TableLocation(datasetUri, storageOptions), jobId, reason);
  }

  /** {@link #cancel(String, Map, String, String)} of the table at {@code table}. */
  public static BackfillJob cancel(TableLocation table, String jobId, String reason) {
    BackfillJob job =
        list(table).stream().filter(j -> j.jobId().equals(jobId)).findFirst().orElse(null);
    if (job != null && job.status() == JobStatus.RUNNING) {
      RunningBackfills.cancel(jobId, reason);
      JobRecords.requestCancel(table, jobId, reason);
    }
    return job;
  }
}
