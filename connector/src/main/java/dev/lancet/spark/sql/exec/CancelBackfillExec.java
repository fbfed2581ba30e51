package dev.lancet.spark.sql.exec;

import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.BackfillJobs;
import dev.lancet.backfill.JobStatus;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.StatementTables;
import dev.lancet.spark.sql.plans.CancelBackfill;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code CANCEL BACKFILL 'id' [IN t]}: finds the job among the tables' job records and asks it to
 * stop.
 */
final class CancelBackfillExec extends LancetCommandExec<CancelBackfill> {
  CancelBackfillExec(SparkSession spark, CancelBackfill plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    for (ResolvedLanceTable table : StatementTables.named(spark, plan.table(), "CANCEL BACKFILL")) {
      BackfillJob job =
          BackfillJobs.cancel(
              table.datasetUri(),
              table.storageOptions(),
              plan.jobId(),
              "CANCEL BACKFILL '" + plan.jobId() + "'");
      if (job != null) {
        String result =
            job.status() == JobStatus.RUNNING
                ? "cancel requested: its workers stop within a batch"
                : "not running: nothing to cancel";
        return List.of(
            new GenericInternalRow(
                new Object[] {
                  UTF8String.fromString(table.displayName()),
                  UTF8String.fromString(job.jobId()),
                  UTF8String.fromString(job.column()),
                  UTF8String.fromString(job.status().label()),
                  UTF8String.fromString(result)
                }));
      }
    }
    throw new LancetException(
        ErrorCode.LANCET_JOB_NOT_FOUND,
        "no backfill job '"
            + plan.jobId()
            + "' in "
            + (plan.table().isEmpty()
                ? "the Lance tables of the current namespace"
                : String.join(".", plan.table()))
            + "; SHOW BACKFILL JOBS lists them");
  }
}
