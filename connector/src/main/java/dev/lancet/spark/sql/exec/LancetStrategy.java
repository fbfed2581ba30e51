package dev.lancet.spark.sql.exec;

import dev.lancet.spark.sql.plans.AddVirtualColumns;
import dev.lancet.spark.sql.plans.AlterVirtualColumn;
import dev.lancet.spark.sql.plans.BackfillColumns;
import dev.lancet.spark.sql.plans.CancelBackfill;
import dev.lancet.spark.sql.plans.CreateTableFunction;
import dev.lancet.spark.sql.plans.ExplainBackfill;
import dev.lancet.spark.sql.plans.LoadColumns;
import dev.lancet.spark.sql.plans.MaterializedViewCommand;
import dev.lancet.spark.sql.plans.OptimizeTable;
import dev.lancet.spark.sql.plans.ShowBackfillErrors;
import dev.lancet.spark.sql.plans.ShowBackfillJobs;
import dev.lancet.spark.sql.plans.ShowVirtualColumns;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.ResolvedTable;
import org.apache.spark.sql.catalyst.plans.logical.AddColumns;
import org.apache.spark.sql.catalyst.plans.logical.AlterTableCommand;
import org.apache.spark.sql.catalyst.plans.logical.DescribeRelation;
import org.apache.spark.sql.catalyst.plans.logical.DropColumns;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import org.lance.spark.LanceDataset;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** Plans Lancet's logical commands into their exec nodes; leaves every other plan to Spark. */
public final class LancetStrategy extends SparkStrategy {
  private final transient SparkSession spark;

  public LancetStrategy(SparkSession spark) {
    this.spark = spark;
  }

  @Override
  public Seq<SparkPlan> apply(LogicalPlan plan) {
    SparkPlan exec = null;
    if (plan instanceof AddVirtualColumns add) {
      exec = new AddVirtualColumnsExec(spark, add);
    } else if (plan instanceof BackfillColumns backfill) {
      exec = new BackfillExec(spark, backfill);
    } else if (plan instanceof ExplainBackfill explain) {
      exec = new ExplainBackfillExec(spark, explain);
    } else if (plan instanceof AlterVirtualColumn alter) {
      exec = new AlterVirtualColumnExec(spark, alter);
    } else if (plan instanceof ShowVirtualColumns show) {
      exec = new ShowVirtualColumnsExec(spark, show);
    } else if (plan instanceof ShowBackfillJobs jobs) {
      exec = new ShowBackfillJobsExec(spark, jobs);
    } else if (plan instanceof ShowBackfillErrors errors) {
      exec = new ShowBackfillErrorsExec(spark, errors);
    } else if (plan instanceof CancelBackfill cancel) {
      exec = new CancelBackfillExec(spark, cancel);
    } else if (plan instanceof LoadColumns load) {
      exec = new LoadColumnsExec(spark, load);
    } else if (plan instanceof CreateTableFunction function) {
      exec = new CreateTableFunctionExec(spark, function);
    } else if (plan instanceof MaterializedViewCommand view) {
      exec = new MaterializedViewExec(spark, view);
    } else if (plan instanceof OptimizeTable optimize) {
      exec = new OptimizeTableExec(spark, optimize);
    } else if ((plan instanceof AddColumns || plan instanceof DropColumns)
        && plan instanceof AlterTableCommand alter
        && alter.table() instanceof ResolvedTable resolved
        && resolved.table() instanceof LanceDataset) {
      // lance-spark refuses plain alteration; Lance itself adds (all-null) and drops columns
      // cheaply.
      exec = new LanceAlterTableExec(resolved, alter.changes());
    } else if (plan instanceof DescribeRelation describe
        && describe.relation() instanceof ResolvedTable resolved
        && resolved.table() instanceof LanceDataset
        && describe.partitionSpec().isEmpty()) {
      exec = new DescribeLanceTableExec(resolved, describe.isExtended(), describe.output());
    }
    return JavaConverters.asScalaBuffer(exec == null ? List.<SparkPlan>of() : List.of(exec))
        .toSeq();
  }
}
