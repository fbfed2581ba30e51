package dev.lancet.spark.sql.exec;

import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.ops.ColumnBackfills;
import dev.lancet.spark.ops.VirtualColumnRegistrar;
import dev.lancet.spark.sql.plans.AddVirtualColumns;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * {@code ALTER TABLE ... ADD COLUMN ... USING UDF}: registers the columns, then backfills them if
 * asked.
 */
final class AddVirtualColumnsExec extends LancetCommandExec<AddVirtualColumns> {
  AddVirtualColumnsExec(SparkSession spark, AddVirtualColumns plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    ResolvedLanceTable table = TableNameResolver.resolve(spark, plan.table());
    LancetConf conf = LancetConf.of(spark);
    List<String> added = VirtualColumnRegistrar.add(table, plan.columns(), conf);
    return plan.backfill()
        ? BackfillRows.of(
            ColumnBackfills.run(
                table, added, plan.filter(), 0, dev.lancet.spark.ops.BackfillOptions.NONE, conf))
        : List.of();
  }
}
