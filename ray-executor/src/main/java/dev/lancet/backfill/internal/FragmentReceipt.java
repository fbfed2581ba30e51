package dev.lancet.backfill.internal;

/**
 * What a worker returns for a finished fragment: where the column file is, never the data.
 *
 * @param fragmentId the fragment
 * @param fileName the new column file, relative to the dataset's data directory
 * @param fileSizeBytes its size
 * @param rowsComputed rows the UDF computed (live rows)
 * @param physicalRows rows in the file, equal to the fragment's physical rows
 */
public record FragmentReceipt(int fragmentId, String fileName, long fileSizeBytes, long rowsComputed, long physicalRows) {

  String toJson() {
    return Json.write(this);
  }

  static FragmentReceipt fromJson(String json) {
    return Json.read(json, FragmentReceipt.class);
  }
}
