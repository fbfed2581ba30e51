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
 * @param column the column to compute
 * @param specJson the column's UDF spec
 * @param batchSize rows per UDF batch
 */
public record WorkUnit(
    String datasetUri,
    Map<String, String> storageOptions,
    long version,
    int fragmentId,
    long physicalRows,
    String column,
    String specJson,
    int batchSize) {

  String toJson() {
    return Json.write(this);
  }

  static WorkUnit fromJson(String json) {
    return Json.read(json, WorkUnit.class);
  }
}
