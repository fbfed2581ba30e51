package dev.lancet.backfill;

/**
 * A row whose UDF call failed, as a backfill recorded it in the table's {@code _lancet/errors}.
 *
 * @param jobId the job
 * @param column the column
 * @param error the row and what happened to it
 * @param recordedAt epoch milliseconds
 */
public record RecordedError(String jobId, String column, RowError error, long recordedAt) {}
