package dev.lancet.spark.sql.exec;

import dev.lancet.backfill.TableCompaction;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.sql.plans.OptimizeTable;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/** {@code OPTIMIZE t}: Lance's compaction of the table, through the engine. */
final class OptimizeTableExec extends LancetCommandExec<OptimizeTable> {
  OptimizeTableExec(SparkSession spark, OptimizeTable plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    ResolvedLanceTable table = TableNameResolver.resolve(spark, plan.table());
    try {
      TableCompaction.Result r =
          TableCompaction.compact(
              table.datasetUri(), table.storageOptions(), plan.targetRowsPerFragment());
      return List.of(
          new GenericInternalRow(
              new Object[] {
                UTF8String.fromString(table.displayName()),
                r.fragmentsBefore(),
                r.fragmentsAfter(),
                r.versionAfter()
              }));
    } finally {
      table.invalidate();
    }
  }
}
