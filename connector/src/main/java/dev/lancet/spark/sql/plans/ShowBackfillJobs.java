package dev.lancet.spark.sql.plans;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code SHOW BACKFILL JOBS [IN t]}: the backfill jobs of a table, or of every Lance table of the
 * current namespace.
 */
public final class ShowBackfillJobs extends LancetCommand {
  /** The rows SHOW BACKFILL JOBS returns. */
  public static final StructType OUTPUT_SCHEMA =
      new StructType()
          .add("table", DataTypes.StringType, false)
          .add("job_id", DataTypes.StringType, false)
          .add("column", DataTypes.StringType, false)
          .add("filter", DataTypes.StringType, true)
          .add("status", DataTypes.StringType, false)
          .add("fragments_done", DataTypes.IntegerType, false)
          .add("fragments_total", DataTypes.IntegerType, false)
          .add("rows_computed", DataTypes.LongType, false)
          .add("rows_skipped", DataTypes.LongType, false)
          .add("rows_failed", DataTypes.LongType, false)
          .add("rows_per_second", DataTypes.DoubleType, false)
          .add("table_version", DataTypes.LongType, false)
          .add("started_at", DataTypes.TimestampType, false)
          .add("finished_at", DataTypes.TimestampType, true)
          .add("error", DataTypes.StringType, true)
          .add("nodes", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType), false)
          .add("code", DataTypes.createArrayType(DataTypes.StringType), false);

  /**
   * @param table the table's name parts, or empty for every Lance table of the current namespace
   */
  public ShowBackfillJobs(List<String> table) {
    super(table, OUTPUT_SCHEMA);
  }

  @Override
  protected List<Object> fields() {
    return List.of(table());
  }
}
