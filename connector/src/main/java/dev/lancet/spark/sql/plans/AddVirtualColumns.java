package dev.lancet.spark.sql.plans;

import dev.lancet.spark.ops.VirtualColumnDef;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/** {@code ALTER TABLE t ADD COLUMN[S] ... USING UDF ... [BACKFILL]}. */
public final class AddVirtualColumns extends LancetCommand {
  private final List<VirtualColumnDef> columns;
  private final boolean backfill;
  private final String filter;

  public AddVirtualColumns(
      List<String> table, List<VirtualColumnDef> columns, boolean backfill, String filter) {
    super(table, backfill ? BackfillColumns.OUTPUT_SCHEMA : new StructType());
    this.columns = List.copyOf(columns);
    this.backfill = backfill;
    this.filter = filter;
  }

  /** The BACKFILL WHERE filter, or null. */
  public String filter() {
    return filter;
  }

  /** The columns to add, in statement order. */
  public List<VirtualColumnDef> columns() {
    return columns;
  }

  /** Whether to backfill the new columns right away. */
  public boolean backfill() {
    return backfill;
  }

  @Override
  protected List<Object> fields() {
    return java.util.Arrays.asList(table(), columns, backfill, filter);
  }

  @Override
  public String simpleString(int maxFields) {
    return "AddVirtualColumns "
        + String.join(".", table())
        + " "
        + columns.stream().map(VirtualColumnDef::name).toList()
        + (backfill ? " BACKFILL" : "");
  }
}
