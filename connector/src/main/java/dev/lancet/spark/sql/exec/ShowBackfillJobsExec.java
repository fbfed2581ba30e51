package dev.lancet.spark.sql.exec;

import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.BackfillJobs;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.StatementTables;
import dev.lancet.spark.sql.plans.ShowBackfillJobs;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

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
    List<ResolvedLanceTable> tables =
        StatementTables.named(spark, plan.table(), "SHOW BACKFILL JOBS");
    List<InternalRow> rows = new ArrayList<>();
    for (ResolvedLanceTable table : tables) {
      for (BackfillJob j : BackfillJobs.list(table.datasetUri(), table.storageOptions())) {
        rows.add(
            new GenericInternalRow(
                new Object[] {
                  str(table.displayName()),
                  str(j.jobId()),
                  str(j.column()),
                  str(j.filter()),
                  str(j.status().label()),
                  j.fragmentsDone(),
                  j.fragmentsTotal(),
                  j.rowsComputed(),
                  j.rowsSkipped(),
                  j.rowsFailed(),
                  j.rowsPerSecond(),
                  j.tableVersion(),
                  j.startedAt() * 1000,
                  j.finishedAt() == 0 ? null : j.finishedAt() * 1000,
                  str(j.error()),
                  nodes(j),
                  new org.apache.spark.sql.catalyst.util.GenericArrayData(
                      j.code().stream().map(ShowBackfillJobsExec::str).toArray())
                }));
      }
    }
    return rows;
  }

  private static org.apache.spark.sql.catalyst.util.MapData nodes(BackfillJob j) {
    Object[] keys =
        j.fragmentsByNode().keySet().stream().sorted().map(ShowBackfillJobsExec::str).toArray();
    Object[] values =
        j.fragmentsByNode().entrySet().stream()
            .sorted(java.util.Map.Entry.comparingByKey())
            .map(java.util.Map.Entry::getValue)
            .toArray();
    return new org.apache.spark.sql.catalyst.util.ArrayBasedMapData(
        new org.apache.spark.sql.catalyst.util.GenericArrayData(keys),
        new org.apache.spark.sql.catalyst.util.GenericArrayData(values));
  }

  private static UTF8String str(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }
}
