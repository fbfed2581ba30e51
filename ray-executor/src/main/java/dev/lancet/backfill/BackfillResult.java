package dev.lancet.backfill;

/**
 * What one backfill did.
 *
 * @param jobId id recorded in the commits' transaction properties and the job record
 * @param column the backfilled column
 * @param rowsComputed rows the UDF computed in this run and committed
 * @param rowsSkipped rows not computed again: up to date, or taken from an earlier run's
 *     checkpoints
 * @param rowsFailed rows whose UDF call failed and hold null (on_error = null)
 * @param fragmentsCommitted fragments whose column data was replaced
 * @param commits Lance commits made
 * @param tableVersion the table version after the last commit (the read version if none)
 * @param fragmentsByNode fragments computed in this run, by the Ray node that computed them (its
 *     address; "local" in LOCAL mode)
 */
public record BackfillResult(
    String jobId,
    String column,
    long rowsComputed,
    long rowsSkipped,
    long rowsFailed,
    int fragmentsCommitted,
    int commits,
    long tableVersion,
    java.util.Map<String, Integer> fragmentsByNode) {

  public BackfillResult {
    fragmentsByNode =
        fragmentsByNode == null ? java.util.Map.of() : java.util.Map.copyOf(fragmentsByNode);
  }
}
