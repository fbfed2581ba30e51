package dev.lancet.spark.sql.plans;

import dev.lancet.spark.ops.VirtualColumnDef;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ALTER TABLE t ALTER COLUMN c SET UDF 'class' [INPUTS (...)] [OPTIONS (...)]}: a new UDF
 * version.
 */
public final class AlterVirtualColumn extends LancetCommand {
  private final VirtualColumnDef column;

  public AlterVirtualColumn(List<String> table, VirtualColumnDef column) {
    super(table, new StructType());
    this.column = column;
  }

  /** The column and its new definition. */
  public VirtualColumnDef column() {
    return column;
  }

  @Override
  protected List<Object> fields() {
    return List.of(table(), column);
  }

  @Override
  public String simpleString(int maxFields) {
    return "AlterVirtualColumn "
        + String.join(".", table())
        + " "
        + column.name()
        + " "
        + column.udfClass();
  }
}
