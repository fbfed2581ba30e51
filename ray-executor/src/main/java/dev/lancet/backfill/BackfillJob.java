package dev.lancet.backfill;

import java.util.List;

/**
 * One backfill job, as kept in the table's {@code _lancet/jobs} Lance table.
 *
 * @param jobId the job
 * @param column the column
 * @param filter the filter, or null
 * @param udfVersion the UDF version it computes
 * @param readVersion the table version it planned on
 * @param status where it is
 * @param fragmentsDone fragments finished (computed, committed or up to date)
 * @param fragmentsTotal fragments in the job
 * @param rowsComputed rows computed and committed
 * @param rowsSkipped rows up to date or taken from checkpoints
 * @param rowsFailed rows whose UDF call failed (null in the column)
 * @param rowsPerSecond rows computed per second
 * @param tableVersion the table version after its last commit
 * @param startedAt start, epoch milliseconds
 * @param finishedAt end, epoch milliseconds (0 while running)
 * @param error the failure's message, or null
 * @param rowErrors samples of failed rows
 * @param code the code it ran: the UDF jars as {@code <name> sha256:<checksum>}, and in cluster
 *     mode the workers' package ({@code workers <uri>}); empty when the UDF is on the class path
 * @param fragmentsByNode fragments computed, by Ray node
 */
public record BackfillJob(
    String jobId,
    String column,
    String filter,
    String udfVersion,
    long readVersion,
    JobStatus status,
    int fragmentsDone,
    int fragmentsTotal,
    long rowsComputed,
    long rowsSkipped,
    long rowsFailed,
    double rowsPerSecond,
    long tableVersion,
    long startedAt,
    long finishedAt,
    String error,
    List<RowError> rowErrors,
    List<String> code,
    java.util.Map<String, Integer> fragmentsByNode) {

  public BackfillJob {
    rowErrors = rowErrors == null ? List.of() : List.copyOf(rowErrors);
    code = code == null ? List.of() : List.copyOf(code);
    fragmentsByNode =
        fragmentsByNode == null ? java.util.Map.of() : java.util.Map.copyOf(fragmentsByNode);
  }

  /** The same job in another status. */
  public BackfillJob withStatus(JobStatus newStatus) {
    return new BackfillJob(
        jobId,
        column,
        filter,
        udfVersion,
        readVersion,
        newStatus,
        fragmentsDone,
        fragmentsTotal,
        rowsComputed,
        rowsSkipped,
        rowsFailed,
        rowsPerSecond,
        tableVersion,
        startedAt,
        finishedAt,
        error,
        rowErrors,
        code,
        fragmentsByNode);
  }
}
