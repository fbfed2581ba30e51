package dev.lancet.spark.sql.exec;

import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.metadata.MetadataRows;
import dev.lancet.spark.sql.plans.ShowVirtualColumns;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

/** {@code SHOW VIRTUAL COLUMNS IN t}. */
final class ShowVirtualColumnsExec extends LancetCommandExec<ShowVirtualColumns> {
  ShowVirtualColumnsExec(SparkSession spark, ShowVirtualColumns plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    ResolvedLanceTable table = TableNameResolver.resolve(spark, plan.table());
    return MetadataRows.virtualColumns(
        table.datasetUri(), table.storageOptions(), LancetConf.of(spark).udfClassLoader());
  }
}
