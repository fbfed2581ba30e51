package dev.lancet.spark.sql.exec;

import dev.lancet.backfill.VirtualColumns;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.udf.UdfSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.analysis.ResolvedTable;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.unsafe.types.UTF8String;
import org.lance.spark.LanceDataset;
import scala.collection.Seq;

/**
 * {@code DESCRIBE [TABLE] [EXTENDED] t} for a Lance table: each column, with its definition and how
 * much of it is computed in the comment when it is virtual; EXTENDED adds the table's location and
 * its virtual columns' versions.
 */
final class DescribeLanceTableExec extends LeafCommandExec {
  private final transient ResolvedTable table;
  private final boolean extended;

  DescribeLanceTableExec(ResolvedTable table, boolean extended, Seq<Attribute> output) {
    super(output, List.of(table.identifier().toString(), extended));
    this.table = table;
    this.extended = extended;
  }

  @Override
  protected List<InternalRow> runCommand() {
    LanceDataset lance = (LanceDataset) table.table();
    ResolvedLanceTable ref = ResolvedLanceTable.of(table.catalog(), table.identifier(), lance);
    String uri = ref.datasetUri();
    Map<String, String> storage = ref.storageOptions();
    Map<String, VirtualColumns.Status> virtual = new HashMap<>();
    VirtualColumns.status(uri, storage, LancetConf.of(SparkSession.active()).udfClassLoader())
        .forEach(s -> virtual.put(s.name(), s));
    List<InternalRow> rows = new ArrayList<>();
    for (StructField f : lance.schema().fields()) {
      VirtualColumns.Status s = virtual.get(f.name());
      String comment =
          s == null ? (f.getComment().isDefined() ? f.getComment().get() : null) : describe(s);
      rows.add(row(f.name(), f.dataType().catalogString(), comment));
    }
    if (extended) {
      rows.add(row("", "", ""));
      rows.add(row("# Detailed Table Information", "", ""));
      rows.add(row("Name", table.catalog().name() + "." + table.identifier().toString(), ""));
      rows.add(row("Type", "Lance table", ""));
      rows.add(row("Location", uri, ""));
      if (!virtual.isEmpty()) {
        rows.add(row("", "", ""));
        rows.add(row("# Virtual Columns", "UDF version", "definition"));
        for (VirtualColumns.Status s : virtual.values()) {
          rows.add(row(s.name(), s.version(), s.spec().toJson() + "; code: " + s.code()));
        }
      }
    }
    return rows;
  }

  private static String describe(VirtualColumns.Status s) {
    UdfSpec spec = s.spec();
    return String.format(
        Locale.ROOT,
        "virtual: UDF %s (%s) of [%s], %.0f%% current (%d of %d rows)",
        spec.className(),
        spec.kind().name().toLowerCase(Locale.ROOT),
        String.join(", ", spec.inputs()),
        100 * s.materialized(),
        s.rowsCurrent(),
        s.rows());
  }

  private static InternalRow row(String a, String b, String c) {
    return new GenericInternalRow(
        new Object[] {
          UTF8String.fromString(a),
          UTF8String.fromString(b),
          c == null ? null : UTF8String.fromString(c)
        });
  }
}
