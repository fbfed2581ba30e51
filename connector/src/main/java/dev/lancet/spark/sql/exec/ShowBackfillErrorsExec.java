package dev.lancet.spark.sql.exec;

import dev.lancet.backfill.BackfillJobs;
import dev.lancet.backfill.RecordedError;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.StatementTables;
import dev.lancet.spark.sql.plans.ShowBackfillErrors;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code SHOW BACKFILL ERRORS [IN t] [FOR JOB 'id']}: the failed rows recorded in each table's
 * {@code _lancet/errors}.
 */
final class ShowBackfillErrorsExec extends LancetCommandExec<ShowBackfillErrors> {
  ShowBackfillErrorsExec(SparkSession spark, ShowBackfillErrors plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    List<InternalRow> rows = new ArrayList<>();
    for (ResolvedLanceTable table :
        StatementTables.named(spark, plan.table(), "SHOW BACKFILL ERRORS")) {
      for (RecordedError e :
          BackfillJobs.errors(table.datasetUri(), table.storageOptions(), plan.jobId())) {
        long address = e.error().rowAddress();
        rows.add(
            new GenericInternalRow(
                new Object[] {
                  str(table.displayName()),
                  str(e.jobId()),
                  str(e.column()),
                  address,
                  (int) (address >>> 32),
                  address & 0xFFFFFFFFL,
                  str(e.error().inputs()),
                  str(e.error().message()),
                  e.error().attempts(),
                  e.recordedAt() * 1000
                }));
      }
    }
    return rows;
  }

  private static UTF8String str(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }
}
