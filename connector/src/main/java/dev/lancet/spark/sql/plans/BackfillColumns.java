package dev.lancet.spark.sql.plans;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code BACKFILL [TABLE] t (col, ...) [WHERE filter] [OPTIONS (...)] [LIMIT n]}: one result row
 * per column.
 */
public final class BackfillColumns extends LancetCommand {
  /** The rows BACKFILL returns. */
  public static final StructType OUTPUT_SCHEMA =
      new StructType()
          .add("column", DataTypes.StringType, false)
          .add("rows_computed", DataTypes.LongType, false)
          .add("rows_skipped", DataTypes.LongType, false)
          .add("rows_failed", DataTypes.LongType, false)
          .add("fragments_committed", DataTypes.IntegerType, false)
          .add("commits", DataTypes.IntegerType, false)
          .add("table_version", DataTypes.LongType, false)
          .add("job_id", DataTypes.StringType, false);

  private final List<String> columns;
  private final String filter;
  private final Map<String, String> options;
  private final long limit;

  public BackfillColumns(
      List<String> table,
      List<String> columns,
      String filter,
      Map<String, String> options,
      long limit) {
    super(table, OUTPUT_SCHEMA);
    this.columns = List.copyOf(columns);
    this.filter = filter;
    this.options = Map.copyOf(options);
    this.limit = limit;
  }

  /** A pilot run's most rows per column (LIMIT n), or 0 for every row in scope. */
  public long limit() {
    return limit;
  }

  /** The Lance filter of WHERE, or null. */
  public String filter() {
    return filter;
  }

  public List<String> columns() {
    return columns;
  }

  /**
   * The OPTIONS as written, already checked by the parser ({@link
   * dev.lancet.spark.ops.BackfillOptions}).
   */
  public Map<String, String> options() {
    return options;
  }

  @Override
  protected List<Object> fields() {
    return java.util.Arrays.asList(table(), columns, filter, options, limit);
  }

  @Override
  public String simpleString(int maxFields) {
    return "BackfillColumns "
        + String.join(".", table())
        + " "
        + columns
        + (filter == null ? "" : " WHERE " + filter)
        + (options.isEmpty() ? "" : " " + options)
        + (limit == 0 ? "" : " LIMIT " + limit);
  }
}
