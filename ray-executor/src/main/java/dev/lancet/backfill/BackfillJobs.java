package dev.lancet.backfill;

import dev.lancet.backfill.internal.JobRecords;
import java.util.List;
import java.util.Map;

/** The backfill jobs of a table, read from its {@code _lancet/jobs} Lance table. */
public final class BackfillJobs {
  private BackfillJobs() {}

  /** The table's jobs, oldest first, each in its latest state ({@code running} while it runs). */
  public static List<BackfillJob> list(String datasetUri, Map<String, String> storageOptions) {
    return JobRecords.list(datasetUri, storageOptions);
  }
}
