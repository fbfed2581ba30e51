package dev.lancet.backfill.internal;

import java.util.Map;

/**
 * One fragment's share of a backfill, as sent to a worker.
 *
 * @param datasetUri the table
 * @param storageOptions Lance storage options
 * @param version the table version the backfill planned on
 * @param fragmentId the fragment to compute
 * @param physicalRows rows in the fragment's data files, deleted ones included
 * @param liveRows rows not deleted
 * @param column the column to compute
 * @param specJson the column's UDF spec
 * @param batchSize rows per UDF batch
 * @param filter the rows to compute (Lance filter), or null for all
 * @param fragmentKey hash of what determines the fragment's result: UDF version, input data, filter
 * @param sharedFile the data file holding the column together with other columns (after a
 *     compaction), which must be rewritten whole; null when the column has a file of its own or none
 * @param checkpoints whether finished batches are checkpointed (and earlier checkpoints reused)
 * @param checkpointIntervalMillis how often a fragment in progress checkpoints its finished batches
 */
public record WorkUnit(
    String datasetUri,
    Map<String, String> storageOptions,
    long version,
    int fragmentId,
    long physicalRows,
    long liveRows,
    String column,
    String specJson,
    int batchSize,
    String filter,
    String fragmentKey,
    SharedFile sharedFile,
    boolean checkpoints,
    long checkpointIntervalMillis) {

  /**
   * A data file that holds the column among others.
   *
   * @param path its name under the data directory
   * @param fieldIds its field ids
   * @param columnIndices their column indices
   * @param major file format major version
   * @param minor file format minor version
   */
  public record SharedFile(String path, int[] fieldIds, int[] columnIndices, int major, int minor) {}

  /**
   * Whether the scan returns every physical row in order (no deletions, no filter, a file of
   * the column's own): then each batch is the next slice of the column file and is written
   * straight to it.
   */
  boolean dense() {
    return liveRows == physicalRows && filter == null && sharedFile == null;
  }

  String toJson() {
    return Json.write(this);
  }

  static WorkUnit fromJson(String json) {
    return Json.read(json, WorkUnit.class);
  }
}
