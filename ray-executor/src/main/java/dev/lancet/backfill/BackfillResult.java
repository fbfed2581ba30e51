package dev.lancet.backfill;

/**
 * What one backfill did.
 *
 * @param jobId id recorded in the commits' transaction properties
 * @param column the backfilled column
 * @param rowsComputed rows the UDF computed
 * @param fragmentsCommitted fragments whose column data was replaced
 * @param commits Lance commits made
 * @param tableVersion the table version after the last commit (the read version if none)
 */
public record BackfillResult(
    String jobId, String column, long rowsComputed, int fragmentsCommitted, int commits, long tableVersion) {}
