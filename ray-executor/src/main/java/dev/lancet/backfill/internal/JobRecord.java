package dev.lancet.backfill.internal;

import java.util.List;

/**
 * What a backfill did, kept under the table's {@code _lancet/jobs/} directory.
 *
 * @param jobId the job
 * @param column the column
 * @param filter the filter, or null
 * @param udfVersion the UDF version it computed
 * @param readVersion the table version it planned on
 * @param status {@code succeeded} or {@code failed}
 * @param rowsComputed rows computed and committed
 * @param rowsSkipped rows up to date or taken from checkpoints
 * @param rowsFailed rows whose UDF call failed (null in the column)
 * @param fragmentsCommitted fragments committed
 * @param tableVersion the table version after its last commit
 * @param startedAt start, epoch milliseconds
 * @param finishedAt end, epoch milliseconds
 * @param error the failure's message, or null
 * @param rowErrors the first failed rows
 */
public record JobRecord(
    String jobId,
    String column,
    String filter,
    String udfVersion,
    long readVersion,
    String status,
    long rowsComputed,
    long rowsSkipped,
    long rowsFailed,
    int fragmentsCommitted,
    long tableVersion,
    long startedAt,
    long finishedAt,
    String error,
    List<RowError> rowErrors) {

  String toJson() {
    return Json.write(this);
  }

  static JobRecord fromJson(String json) {
    return Json.read(json, JobRecord.class);
  }
}
