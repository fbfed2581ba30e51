package dev.lancet.spark.sql.exec;

import dev.lancet.backfill.BackfillResult;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/** BACKFILL's result rows (see {@code BackfillColumns.OUTPUT_SCHEMA}). */
final class BackfillRows {
  private BackfillRows() {}

  static List<InternalRow> of(List<BackfillResult> results) {
    return results.stream()
        .<InternalRow>map(
            r ->
                new GenericInternalRow(
                    new Object[] {
                      UTF8String.fromString(r.column()),
                      r.rowsComputed(),
                      r.rowsSkipped(),
                      r.rowsFailed(),
                      r.fragmentsCommitted(),
                      r.commits(),
                      r.tableVersion(),
                      UTF8String.fromString(r.jobId())
                    }))
        .toList();
  }
}
