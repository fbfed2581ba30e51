package dev.lancet.backfill.internal;

import dev.lancet.backfill.RowError;
import java.util.List;

/**
 * What a worker returns for a finished fragment: where the column file is, never the data.
 *
 * @param fragmentId the fragment
 * @param fileName the new column file, relative to the dataset's data directory
 * @param fileSizeBytes its size
 * @param rowsComputed rows the UDF computed in this run
 * @param rowsReused rows taken from checkpoints of an earlier run
 * @param physicalRows rows in the file, equal to the fragment's physical rows
 * @param rowsFailed rows whose UDF call failed (written as null under on_error = null)
 * @param errors the first failed rows, for the job record
 * @param fragmentKey the key the result was computed under
 * @param replaces the shared file the new file replaces whole, or null
 * @param earlierFile whether the file was finished by an earlier run (which may also commit
 *     it), so this run must never delete it
 */
public record FragmentReceipt(
    int fragmentId, String fileName, long fileSizeBytes, long rowsComputed, long rowsReused, long physicalRows,
    long rowsFailed, List<RowError> errors, String fragmentKey, WorkUnit.SharedFile replaces,
    boolean earlierFile) {

  /** At most this many failed rows are reported per fragment; the count covers them all. */
  static final int MAX_ERRORS = 20;

  public FragmentReceipt {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  String toJson() {
    return Json.write(this);
  }

  static FragmentReceipt fromJson(String json) {
    return Json.read(json, FragmentReceipt.class);
  }
}
