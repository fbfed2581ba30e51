package dev.lancet.spark.sql.exec;

import dev.lancet.backfill.BackfillExplanation;
import dev.lancet.backfill.RowState;
import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.ops.BackfillOptions;
import dev.lancet.spark.ops.ColumnBackfills;
import dev.lancet.spark.sql.plans.BackfillColumns;
import dev.lancet.spark.sql.plans.ExplainBackfill;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/** {@code EXPLAIN BACKFILL}: the plan each column's BACKFILL would run, nothing computed. */
final class ExplainBackfillExec extends LancetCommandExec<ExplainBackfill> {
  ExplainBackfillExec(SparkSession spark, ExplainBackfill plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    BackfillColumns backfill = plan.backfill();
    return ColumnBackfills.explain(
            TableNameResolver.resolve(spark, backfill.table()),
            backfill.columns(),
            backfill.filter(),
            backfill.limit(),
            BackfillOptions.parse(backfill.options()),
            LancetConf.of(spark))
        .stream()
        .map(ExplainBackfillExec::row)
        .toList();
  }

  private static InternalRow row(BackfillExplanation e) {
    return new GenericInternalRow(
        new Object[] {
          UTF8String.fromString(e.column()),
          e.rowsToCompute(),
          e.rows().rows(RowState.NEW),
          e.rows().rows(RowState.FILTERED_OUT),
          e.rows().rows(RowState.INPUT_CHANGED),
          e.rows().rows(RowState.VERSION_CHANGED),
          e.rows().rows(RowState.FAILED),
          e.fragments(),
          e.tasks(),
          UTF8String.fromString(e.engine()),
          e.workers(),
          e.commits(),
          e.tableVersion(),
          e.estimatedSeconds(),
          UTF8String.fromString(e.describe())
        });
  }
}
