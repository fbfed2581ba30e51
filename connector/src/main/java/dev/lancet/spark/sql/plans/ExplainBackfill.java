package dev.lancet.spark.sql.plans;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code EXPLAIN BACKFILL t (col, ...) [WHERE filter] [OPTIONS (...)]}: one row per column with
 * what the BACKFILL would do now, computing and changing nothing.
 */
public final class ExplainBackfill extends LancetCommand {
  /** The rows EXPLAIN BACKFILL returns. */
  public static final StructType OUTPUT_SCHEMA =
      new StructType()
          .add("column", DataTypes.StringType, false)
          .add("rows_to_compute", DataTypes.LongType, false)
          .add("rows_new", DataTypes.LongType, false)
          .add("rows_filtered_out", DataTypes.LongType, false)
          .add("rows_input_changed", DataTypes.LongType, false)
          .add("rows_version_changed", DataTypes.LongType, false)
          .add("rows_failed", DataTypes.LongType, false)
          .add("fragments", DataTypes.IntegerType, false)
          .add("tasks", DataTypes.IntegerType, false)
          .add("engine", DataTypes.StringType, false)
          .add("workers", DataTypes.IntegerType, false)
          .add("commits", DataTypes.IntegerType, false)
          .add("table_version", DataTypes.LongType, false)
          .add("estimated_seconds", DataTypes.DoubleType, true)
          .add("plan", DataTypes.StringType, false);

  private final BackfillColumns backfill;

  public ExplainBackfill(BackfillColumns backfill) {
    super(backfill.table(), OUTPUT_SCHEMA);
    this.backfill = backfill;
  }

  /** The BACKFILL statement explained. */
  public BackfillColumns backfill() {
    return backfill;
  }

  @Override
  protected List<Object> fields() {
    return List.of(backfill);
  }

  @Override
  public String simpleString(int maxFields) {
    return "Explain" + backfill.simpleString(maxFields);
  }
}
