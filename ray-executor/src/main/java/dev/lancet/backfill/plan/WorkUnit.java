package dev.lancet.backfill.plan;

import dev.lancet.backfill.store.Json;
import dev.lancet.backfill.store.Slots;
import dev.lancet.backfill.store.UdfCode;
import dev.lancet.lance.ColumnFile;
import dev.lancet.lance.TableLocation;
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
 * @param specJson the column's UDF spec, with the code identity the driver saw
 * @param batchSize rows per UDF batch
 * @param filter the rows to compute (Lance filter), or null for all
 * @param workKey hash of what determines this unit's result (UDF version, the fragment's input
 *     files and column file, the current slots, the filter): checkpoints are kept under it
 * @param current the file holding the column's values now, or null when the fragment has none
 * @param currentSlots Base64 bitmap of the slots whose value is current for this UDF version (not
 *     computed again), or null for none
 * @param checkpoints whether finished batches are checkpointed (and earlier checkpoints reused)
 * @param checkpointIntervalMillis how often a fragment in progress checkpoints its finished batches
 * @param code the user's jars the UDF loads from on a cluster worker
 * @param allowedPackages the {@code lancet.udf.allowed-packages} policy, checked again on the
 *     worker
 * @param jobId the job, whose cancellation the worker looks for before each batch
 * @param mayResume whether an earlier run may have left checkpoints for this work (the column's
 *     last job did not succeed, or this is a retry): only then does the worker look for them
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
    String workKey,
    ColumnFile current,
    String currentSlots,
    boolean checkpoints,
    long checkpointIntervalMillis,
    UdfCode code,
    String allowedPackages,
    String jobId,
    boolean mayResume) {

  /** The same unit with the jars cluster workers load the UDF from. */
  WorkUnit withCode(UdfCode newCode) {
    return new WorkUnit(
        datasetUri,
        storageOptions,
        version,
        fragmentId,
        physicalRows,
        liveRows,
        column,
        specJson,
        batchSize,
        filter,
        workKey,
        current,
        currentSlots,
        checkpoints,
        checkpointIntervalMillis,
        newCode,
        allowedPackages,
        jobId,
        mayResume);
  }

  /** The same unit, run again after its worker died: it looks for the checkpoints it left. */
  WorkUnit retried() {
    return new WorkUnit(
        datasetUri,
        storageOptions,
        version,
        fragmentId,
        physicalRows,
        liveRows,
        column,
        specJson,
        batchSize,
        filter,
        workKey,
        current,
        currentSlots,
        checkpoints,
        checkpointIntervalMillis,
        code,
        allowedPackages,
        jobId,
        true);
  }

  /** The table the unit's fragment belongs to. */
  public TableLocation table() {
    return new TableLocation(datasetUri, storageOptions);
  }

  public Slots fresh() {
    return Slots.decode(currentSlots);
  }

  /**
   * Whether the scan returns every physical row in order and every one is computed (no deletions,
   * no filter, nothing current, no shared file to keep): then each batch is the next slice of the
   * column file and is written straight to it.
   */
  public boolean dense() {
    return liveRows == physicalRows
        && filter == null
        && currentSlots == null
        && (current == null || !current.shared());
  }

  /**
   * Whether the current values must be read: some are kept (current or outside the filter), or a
   * shared file is rewritten.
   */
  public boolean keepsCurrentValues() {
    return current != null && (current.shared() || currentSlots != null || filter != null);
  }

  String toJson() {
    return Json.write(this);
  }

  static WorkUnit fromJson(String json) {
    return Json.read(json, WorkUnit.class);
  }
}
