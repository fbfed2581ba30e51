package dev.lancet.spark.sql.exec;

import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.ops.ColumnBackfills;
import dev.lancet.spark.sql.plans.BackfillColumns;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

/** Runs {@code BACKFILL t (cols)} through the backfill engine. */
final class BackfillExec extends LancetCommandExec<BackfillColumns> {
  BackfillExec(SparkSession spark, BackfillColumns plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    return BackfillRows.of(
        ColumnBackfills.run(
            TableNameResolver.resolve(spark, plan.table()),
            plan.columns(),
            plan.filter(),
            plan.limit(),
            dev.lancet.spark.ops.BackfillOptions.parse(plan.options()),
            LancetConf.of(spark)));
  }
}
