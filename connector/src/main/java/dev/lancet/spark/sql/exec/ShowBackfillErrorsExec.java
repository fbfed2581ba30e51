package dev.lancet.spark.sql.exec;

import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.StatementTables;
import dev.lancet.spark.metadata.MetadataRows;
import dev.lancet.spark.sql.plans.ShowBackfillErrors;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

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
      rows.addAll(
          MetadataRows.errors(
              table.displayName(), table.datasetUri(), table.storageOptions(), plan.jobId()));
    }
    return rows;
  }
}
