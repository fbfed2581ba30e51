package dev.lancet.spark.sql.plans;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code SHOW VIRTUAL COLUMNS IN t}: one row per virtual column with its definition, the version a
 * backfill would compute it under now (and the code it would run), and how many rows hold a value
 * current for that version.
 */
public final class ShowVirtualColumns extends LancetCommand {
  /** The rows SHOW VIRTUAL COLUMNS returns. */
  public static final StructType OUTPUT_SCHEMA =
      new StructType()
          .add("column", DataTypes.StringType, false)
          .add("type", DataTypes.StringType, false)
          .add("udf_class", DataTypes.StringType, false)
          .add("kind", DataTypes.StringType, false)
          .add("inputs", DataTypes.StringType, false)
          .add("options", DataTypes.StringType, false)
          .add("version", DataTypes.StringType, false)
          .add("code", DataTypes.StringType, false)
          .add("rows_current", DataTypes.LongType, false)
          .add("rows", DataTypes.LongType, false)
          .add("materialized", DataTypes.DoubleType, false);

  public ShowVirtualColumns(List<String> table) {
    super(table, OUTPUT_SCHEMA);
  }

  @Override
  protected List<Object> fields() {
    return List.of(table());
  }
}
