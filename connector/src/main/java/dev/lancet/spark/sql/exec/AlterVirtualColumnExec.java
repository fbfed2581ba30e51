package dev.lancet.spark.sql.exec;

import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.ops.VirtualColumnRegistrar;
import dev.lancet.spark.sql.plans.AlterVirtualColumn;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

/** {@code ALTER TABLE t ALTER COLUMN c SET UDF ...}: a new UDF version for a virtual column. */
final class AlterVirtualColumnExec extends LancetCommandExec<AlterVirtualColumn> {
  AlterVirtualColumnExec(SparkSession spark, AlterVirtualColumn plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    VirtualColumnRegistrar.replace(
        TableNameResolver.resolve(spark, plan.table()), plan.column(), LancetConf.of(spark));
    return List.of();
  }
}
