package dev.lancet.spark.sql.exec;

import dev.lancet.backfill.VirtualColumns;
import dev.lancet.spark.LancetSqlException;
import dev.lancet.spark.catalog.LanceTableRef;
import dev.lancet.spark.catalog.LanceTableResolver;
import dev.lancet.spark.sql.plans.AddVirtualColumns;
import dev.lancet.spark.sql.plans.VirtualColumnDef;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Registers virtual columns: inspects each UDF, checks the declared type against it, then adds
 * all columns in one Lance commit (so a bad column leaves the table unchanged).
 */
final class AddVirtualColumnsExec extends LancetCommandExec<AddVirtualColumns> {
  AddVirtualColumnsExec(SparkSession spark, AddVirtualColumns plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    LanceTableRef table = LanceTableResolver.resolve(spark, plan.table());
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Map<String, UdfSpec> specs = new LinkedHashMap<>();
    for (VirtualColumnDef def : plan.columns()) {
      UdfSpec spec = UdfInspector.inspect(def.udfClass(), loader, def.options(), def.inputs().isEmpty() ? null : def.inputs());
      if (def.declaredType() != null && !def.declaredType().equals(spec.outputType())) {
        throw new LancetSqlException("column '" + def.name() + "' is declared " + def.declaredType() + " but UDF "
            + def.udfClass() + " returns " + spec.outputType());
      }
      if (specs.put(def.name(), spec) != null) {
        throw new LancetSqlException("column '" + def.name() + "' is added twice in one statement");
      }
    }
    try {
      VirtualColumns.add(table.datasetUri(), table.storageOptions(), specs);
    } finally {
      table.invalidate();
    }
    return plan.backfill() ? BackfillJobs.run(table, List.copyOf(specs.keySet()), Map.of()) : List.of();
  }
}
