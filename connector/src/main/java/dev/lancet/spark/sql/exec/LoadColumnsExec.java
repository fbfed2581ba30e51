package dev.lancet.spark.sql.exec;

import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.load.ColumnLoads;
import dev.lancet.spark.sql.plans.LoadColumns;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

/** {@code ALTER TABLE t LOAD COLUMNS (...) FROM source KEY (k)}: reads the source, then loads. */
final class LoadColumnsExec extends LancetCommandExec<LoadColumns> {
  LoadColumnsExec(SparkSession spark, LoadColumns plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    ResolvedLanceTable table = TableNameResolver.resolve(spark, plan.table());
    Dataset<Row> source;
    String name;
    if (plan.sourcePath() != null) {
      String path = plan.sourcePath();
      String lower = path.toLowerCase(Locale.ROOT);
      String format =
          lower.endsWith(".json")
              ? "json"
              : lower.endsWith(".csv") ? "csv" : lower.endsWith(".lance") ? "lance" : "parquet";
      source = spark.read().format(format).option("header", "true").load(path);
      name = "'" + path + "'";
    } else {
      name = String.join(".", plan.sourceTable());
      source = spark.table(name);
    }
    return BackfillRows.of(
        ColumnLoads.load(
            table,
            plan.columns(),
            source,
            name,
            plan.key(),
            dev.lancet.spark.ops.BackfillOptions.parse(plan.options()),
            LancetConf.of(spark)));
  }
}
