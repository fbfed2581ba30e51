package dev.lancet.spark.sql.exec;

import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.StatementTables;
import dev.lancet.spark.metadata.MetadataRows;
import dev.lancet.spark.sql.plans.ShowBackfillJobs;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * {@code SHOW BACKFILL JOBS [IN t]}: jobs of one table, or of every Lance table of the current
 * namespace.
 */
final class ShowBackfillJobsExec extends LancetCommandExec<ShowBackfillJobs> {
  ShowBackfillJobsExec(SparkSession spark, ShowBackfillJobs plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    List<InternalRow> rows = new ArrayList<>();
    for (ResolvedLanceTable table :
        StatementTables.named(spark, plan.table(), "SHOW BACKFILL JOBS")) {
      rows.addAll(
          MetadataRows.jobs(table.displayName(), table.datasetUri(), table.storageOptions()));
    }
    return rows;
  }
}
