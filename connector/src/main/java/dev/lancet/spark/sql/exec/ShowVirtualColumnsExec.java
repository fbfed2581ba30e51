package dev.lancet.spark.sql.exec;

import dev.lancet.backfill.VirtualColumns;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.sql.plans.ShowVirtualColumns;
import dev.lancet.udf.UdfSpec;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/** {@code SHOW VIRTUAL COLUMNS IN t}. */
final class ShowVirtualColumnsExec extends LancetCommandExec<ShowVirtualColumns> {
  ShowVirtualColumnsExec(SparkSession spark, ShowVirtualColumns plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    ResolvedLanceTable table = TableNameResolver.resolve(spark, plan.table());
    return VirtualColumns.status(
            table.datasetUri(), table.storageOptions(), LancetConf.of(spark).udfClassLoader())
        .stream()
        .<InternalRow>map(
            s -> {
              UdfSpec spec = s.spec();
              String options =
                  new TreeMap<>(spec.options())
                      .entrySet().stream()
                          .map(e -> e.getKey() + "=" + e.getValue())
                          .collect(Collectors.joining(", "));
              return new GenericInternalRow(
                  new Object[] {
                    str(s.name()),
                    str(spec.outputType()),
                    str(spec.className()),
                    str(spec.kind().name().toLowerCase()),
                    str(String.join(", ", spec.inputs())),
                    str(options),
                    str(s.version()),
                    str(s.code()),
                    s.rowsCurrent(),
                    s.rows(),
                    s.materialized()
                  });
            })
        .toList();
  }

  private static UTF8String str(String s) {
    return UTF8String.fromString(s);
  }
}
