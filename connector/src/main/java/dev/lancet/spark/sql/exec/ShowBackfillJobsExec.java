package dev.lancet.spark.sql.exec;

import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.BackfillJobs;
import dev.lancet.spark.LancetSqlException;
import dev.lancet.spark.catalog.LanceTableRef;
import dev.lancet.spark.catalog.LanceTableResolver;
import dev.lancet.spark.sql.plans.ShowBackfillJobs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.catalog.CatalogManager;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.unsafe.types.UTF8String;

/** {@code SHOW BACKFILL JOBS [IN t]}: jobs of one table, or of every Lance table of the current namespace. */
final class ShowBackfillJobsExec extends LancetCommandExec<ShowBackfillJobs> {
  ShowBackfillJobsExec(SparkSession spark, ShowBackfillJobs plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    List<LanceTableRef> tables = new ArrayList<>();
    if (!plan.table().isEmpty()) {
      tables.add(LanceTableResolver.resolve(spark, plan.table()));
    } else {
      CatalogManager manager = spark.sessionState().catalogManager();
      if (!(manager.currentCatalog() instanceof TableCatalog catalog)) {
        throw new LancetSqlException("the current catalog holds no tables; name one: SHOW BACKFILL JOBS IN t");
      }
      try {
        for (Identifier id : catalog.listTables(manager.currentNamespace())) {
          List<String> name = new ArrayList<>(List.of(catalog.name()));
          name.addAll(Arrays.asList(id.namespace()));
          name.add(id.name());
          try {
            tables.add(LanceTableResolver.resolve(spark, name));
          } catch (LancetSqlException notLance) {
            // Only Lance tables have backfill jobs.
          }
        }
      } catch (Exception e) {
        throw new LancetSqlException("cannot list the tables of the current namespace: " + e.getMessage(), e);
      }
    }
    List<InternalRow> rows = new ArrayList<>();
    for (LanceTableRef table : tables) {
      for (BackfillJob j : BackfillJobs.list(table.datasetUri(), table.storageOptions())) {
        rows.add(new GenericInternalRow(new Object[] {
            str(table.displayName()), str(j.jobId()), str(j.column()), str(j.filter()), str(j.status().label()), j.fragmentsDone(),
            j.fragmentsTotal(), j.rowsComputed(), j.rowsSkipped(), j.rowsFailed(), j.rowsPerSecond(), j.tableVersion(),
            j.startedAt() * 1000, j.finishedAt() == 0 ? null : j.finishedAt() * 1000, str(j.error())}));
      }
    }
    return rows;
  }

  private static UTF8String str(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }
}
