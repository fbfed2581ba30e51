package dev.lancet.spark.sql.exec;

import dev.lancet.spark.sql.plans.MaterializedViewCommand;
import dev.lancet.spark.views.MaterializedViews;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/** Runs a materialized view's statement ({@link MaterializedViews}). */
final class MaterializedViewExec extends LancetCommandExec<MaterializedViewCommand> {
  MaterializedViewExec(SparkSession spark, MaterializedViewCommand plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    return switch (plan.kind()) {
      case CREATE ->
          outcome(
              MaterializedViews.create(
                  spark,
                  plan.table(),
                  plan.query(),
                  plan.ifClause(),
                  plan.partitionBy(),
                  plan.options()));
      case REFRESH -> outcome(MaterializedViews.refresh(spark, plan.table(), plan.options()));
      case DROP -> {
        MaterializedViews.drop(spark, plan.table(), plan.ifClause());
        yield List.of();
      }
      case SHOW ->
          MaterializedViews.list(spark, plan.table()).stream()
              .<InternalRow>map(
                  v ->
                      new GenericInternalRow(
                          new Object[] {
                            UTF8String.fromString(v.view()),
                            UTF8String.fromString(v.source()),
                            v.sourceVersion(),
                            v.sourceCurrentVersion(),
                            v.fresh()
                          }))
              .toList();
    };
  }

  private static List<InternalRow> outcome(MaterializedViews.Outcome o) {
    if (o == null) {
      return List.of(); // CREATE ... IF NOT EXISTS of a view that exists
    }
    return List.of(
        new GenericInternalRow(
            new Object[] {
              UTF8String.fromString(o.view()),
              UTF8String.fromString(o.source()),
              o.sourceVersion(),
              o.fragmentsComputed(),
              o.sourceRowsRead(),
              o.rowsAdded(),
              o.rowsRemoved(),
              o.viewVersion(),
              o.rowsFailed()
            }));
  }
}
