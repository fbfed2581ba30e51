package dev.lancet.backfill;

import dev.lancet.backfill.store.JobRecords;
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
    return JobRecords.list(datasetUri, storageOptions);
  }

  /**
   * The rows whose UDF call failed, of one job ({@code jobId}) or of every job (null), oldest
   * first.
   */
  public static List<RecordedError> errors(
      String datasetUri, Map<String, String> storageOptions, String jobId) {
    return dev.lancet.backfill.store.ErrorRecords.list(datasetUri, storageOptions, jobId);
  }

  /**
   * Asks a running job of the table to stop: at once when it runs in this JVM, else its driver sees
   * the request within a second. Returns the job as it was, or null when the table has no such job.
   */
  public static BackfillJob cancel(
      String datasetUri, Map<String, String> storageOptions, String jobId, String reason) {
    BackfillJob job =
        list(datasetUri, storageOptions).stream()
            .filter(j -> j.jobId().equals(jobId))
            .findFirst()
            .orElse(null);
    if (job != null && job.status() == JobStatus.RUNNING) {
      RunningBackfills.cancel(jobId, reason);
      JobRecords.requestCancel(datasetUri, storageOptions, jobId, reason);
    }
    return job;
  }
}
