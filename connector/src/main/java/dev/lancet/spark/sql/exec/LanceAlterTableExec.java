package dev.lancet.spark.sql.exec;

import dev.lancet.backfill.TableColumns;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.types.TypeStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.analysis.ResolvedTable;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.connector.catalog.TableChange;
import org.lance.spark.LanceDataset;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Plain {@code ALTER TABLE t ADD COLUMNS (c INT, ...)} and {@code ALTER TABLE t DROP COLUMN c} on a
 * Lance table, which lance-spark refuses ("Table alteration is not supported"): new columns are
 * added all-null without rewriting data, dropped ones leave the schema (virtual or not).
 */
final class LanceAlterTableExec extends LeafCommandExec {
  private final transient ResolvedTable table;
  private final List<TableChange> changes;

  LanceAlterTableExec(ResolvedTable table, Seq<TableChange> changes) {
    super(
        JavaConverters.asScalaBuffer(List.<Attribute>of()).toSeq(),
        JavaConverters.seqAsJavaList(changes));
    this.table = table;
    this.changes = JavaConverters.seqAsJavaList(changes);
  }

  @Override
  protected List<InternalRow> runCommand() {
    LanceDataset lance = (LanceDataset) table.table();
    ResolvedLanceTable ref = ResolvedLanceTable.of(table.catalog(), table.identifier(), lance);
    String uri = ref.datasetUri();
    Map<String, String> storage = ref.storageOptions();
    List<Field> add = new ArrayList<>();
    List<String> drop = new ArrayList<>();
    for (TableChange change : changes) {
      if (change instanceof TableChange.AddColumn a && a.fieldNames().length == 1) {
        String type = a.dataType().simpleString();
        try {
          add.add(TypeStrings.parse(type).toField(a.fieldNames()[0], true));
        } catch (UdfException e) {
          throw new LancetException(
              e.code(), "column '" + a.fieldNames()[0] + "': " + e.getMessage());
        }
      } else if (change instanceof TableChange.DeleteColumn d && d.fieldNames().length == 1) {
        drop.add(d.fieldNames()[0]);
      } else {
        throw new LancetException(
            ErrorCode.LANCET_UNSUPPORTED,
            "this change to a Lance table is not supported here: "
                + change
                + " (top-level ADD COLUMNS and DROP COLUMN are)");
      }
    }
    try {
      if (!add.isEmpty()) {
        TableColumns.add(uri, storage, add);
      }
      if (!drop.isEmpty()) {
        TableColumns.drop(uri, storage, drop);
      }
    } finally {
      ref.invalidate();
    }
    return List.of();
  }
}
