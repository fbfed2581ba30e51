package dev.lancet.spark.sql.exec;

import dev.lancet.backfill.Backfill;
import dev.lancet.backfill.BackfillResult;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.spark.LancetSqlException;
import dev.lancet.spark.catalog.LanceTableRef;
import dev.lancet.udf.UdfSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/** Runs backfills of a table's columns and turns their results into BACKFILL's rows. */
final class BackfillJobs {
  private BackfillJobs() {}

  static List<InternalRow> run(LanceTableRef table, List<String> columns, Map<String, String> options) {
    // Check every column first, so a bad name in a list fails before any work is committed.
    Map<String, UdfSpec> virtual = VirtualColumns.list(table.datasetUri(), table.storageOptions());
    for (String column : columns) {
      if (!virtual.containsKey(column)) {
        throw new LancetSqlException("column '" + column + "' of " + table.displayName() + " is not a virtual column"
            + (virtual.isEmpty() ? "; the table has none" : "; its virtual columns are " + virtual.keySet()));
      }
    }
    List<InternalRow> rows = new ArrayList<>();
    try {
      for (String column : columns) {
        Backfill backfill = Backfill.of(table.datasetUri(), column).storageOptions(table.storageOptions());
        if (options.containsKey("batch_size")) {
          backfill.batchSize(Integer.parseInt(options.get("batch_size")));
        }
        if (options.containsKey("commit_granularity")) {
          backfill.commitGranularity(Integer.parseInt(options.get("commit_granularity")));
        }
        BackfillResult r = backfill.run();
        rows.add(new GenericInternalRow(new Object[] {
            UTF8String.fromString(r.column()), r.rowsComputed(), r.fragmentsCommitted(), r.commits(), r.tableVersion(),
            UTF8String.fromString(r.jobId())}));
      }
    } finally {
      table.invalidate();
    }
    return rows;
  }
}
