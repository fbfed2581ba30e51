package dev.lancet.backfill.commit;

import dev.lancet.backfill.RowError;
import dev.lancet.backfill.store.Json;
import dev.lancet.lance.ColumnFile;
import java.util.List;

/**
 * What a worker returns for a finished fragment: where the column file is, never the data.
 *
 * @param fragmentId the fragment
 * @param fileName the new column file, relative to the dataset's data directory; null when nothing
 *     was computed (every row current, or none matched the filter): nothing to commit
 * @param fileSizeBytes its size
 * @param rowsComputed rows the UDF computed in this run
 * @param rowsReused rows taken from checkpoints of an earlier run
 * @param physicalRows rows in the file, equal to the fragment's physical rows
 * @param rowsFailed rows whose UDF call failed (written as null under on_error = null)
 * @param errors the first failed rows, for the job record
 * @param workKey the key the result was computed under
 * @param replaces the shared file the new file replaces whole, or null
 * @param earlierFile whether the file was finished by an earlier run (which may also commit it), so
 *     this run must never delete it
 * @param currentSlots Base64 bitmap of the slots whose value is current in the new file, or null
 *     when every live row's is
 * @param checkpointed whether the worker left checkpoint records for it (deleted once recorded)
 * @param node the Ray node whose worker computed it ("local" in LOCAL mode), or null
 */
public record FragmentReceipt(
    int fragmentId,
    String fileName,
    long fileSizeBytes,
    long rowsComputed,
    long rowsReused,
    long physicalRows,
    long rowsFailed,
    List<RowError> errors,
    String workKey,
    ColumnFile replaces,
    boolean earlierFile,
    String currentSlots,
    boolean checkpointed,
    String node) {

  /** At most this many failed rows are reported per fragment; the count covers them all. */
  public static final int MAX_ERRORS = 20;

  public FragmentReceipt {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** Whether there is a file to commit. */
  public boolean changed() {
    return fileName != null;
  }

  /**
   * The same receipt as found again by a later run: nothing computed now, and never to be deleted
   * by it.
   */
  public FragmentReceipt reusedLater() {
    return new FragmentReceipt(
        fragmentId,
        fileName,
        fileSizeBytes,
        0,
        rowsComputed + rowsReused,
        physicalRows,
        rowsFailed,
        errors,
        workKey,
        replaces,
        true,
        currentSlots,
        checkpointed,
        node);
  }

  /** The same receipt kept in a done record, so the run that records it deletes the record. */
  public FragmentReceipt inDoneRecord() {
    return new FragmentReceipt(
        fragmentId,
        fileName,
        fileSizeBytes,
        rowsComputed,
        rowsReused,
        physicalRows,
        rowsFailed,
        errors,
        workKey,
        replaces,
        earlierFile,
        currentSlots,
        true,
        node);
  }

  /** The same receipt, computed on {@code worker}'s node. */
  public FragmentReceipt onNode(String worker) {
    return new FragmentReceipt(
        fragmentId,
        fileName,
        fileSizeBytes,
        rowsComputed,
        rowsReused,
        physicalRows,
        rowsFailed,
        errors,
        workKey,
        replaces,
        earlierFile,
        currentSlots,
        checkpointed,
        worker);
  }

  public String toJson() {
    return Json.write(this);
  }

  public static FragmentReceipt fromJson(String json) {
    return Json.read(json, FragmentReceipt.class);
  }

  /** A worker call's receipts, as it returns them. */
  public static String toJson(List<FragmentReceipt> receipts) {
    return Json.write(receipts);
  }

  public static List<FragmentReceipt> listFromJson(String json) {
    return List.of(Json.read(json, FragmentReceipt[].class));
  }
}
