package dev.lancet.spark.sql.plans;

import dev.lancet.spark.views.ViewOptions;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The statements of materialized views: {@code CREATE MATERIALIZED VIEW [IF NOT EXISTS] v AS SELECT
 * ...}, {@code REFRESH MATERIALIZED VIEW v}, {@code DROP MATERIALIZED VIEW [IF EXISTS] v} and
 * {@code SHOW MATERIALIZED VIEWS [IN namespace]}.
 */
public final class MaterializedViewCommand extends LancetCommand {
  /** What the statement does. */
  public enum Kind {
    CREATE,
    REFRESH,
    DROP,
    SHOW
  }

  /** The row CREATE and REFRESH return. */
  public static final StructType OUTCOME_SCHEMA =
      new StructType()
          .add("view", DataTypes.StringType, false)
          .add("source", DataTypes.StringType, false)
          .add("source_version", DataTypes.LongType, false)
          .add("fragments_computed", DataTypes.IntegerType, false)
          .add("source_rows_read", DataTypes.LongType, false)
          .add("rows_added", DataTypes.LongType, false)
          .add("rows_removed", DataTypes.LongType, false)
          .add("view_version", DataTypes.LongType, false)
          .add("rows_failed", DataTypes.LongType, false);

  /** The rows SHOW MATERIALIZED VIEWS returns. */
  public static final StructType LIST_SCHEMA =
      new StructType()
          .add("view", DataTypes.StringType, false)
          .add("source", DataTypes.StringType, false)
          .add("source_version", DataTypes.LongType, false)
          .add("source_current_version", DataTypes.LongType, false)
          .add("fresh", DataTypes.BooleanType, false);

  private final Kind kind;
  private final String query;
  private final boolean ifClause;
  private final ViewOptions options;
  private final String partitionBy;

  /**
   * @param name the view's name parts (SHOW: the namespace's, possibly empty)
   * @param query CREATE's query text, else null
   * @param ifClause IF NOT EXISTS (CREATE) or IF EXISTS (DROP)
   * @param options CREATE's or REFRESH's options
   */
  private MaterializedViewCommand(
      Kind kind,
      List<String> name,
      String query,
      boolean ifClause,
      ViewOptions options,
      String partitionBy) {
    super(
        name,
        kind == Kind.SHOW ? LIST_SCHEMA : kind == Kind.DROP ? new StructType() : OUTCOME_SCHEMA);
    this.kind = kind;
    this.query = query;
    this.ifClause = ifClause;
    this.options = options;
    this.partitionBy = partitionBy;
  }

  /** CREATE's PARTITION BY column, or null. */
  public String partitionBy() {
    return partitionBy;
  }

  /** CREATE's or REFRESH's options ({@link ViewOptions#NONE} without). */
  public ViewOptions options() {
    return options;
  }

  /**
   * {@code CREATE MATERIALIZED VIEW [IF NOT EXISTS] name [PARTITION BY (key)] [OPTIONS (...)] AS
   * query}; {@code partitionBy} null without PARTITION BY.
   */
  public static MaterializedViewCommand create(
      List<String> name,
      String query,
      boolean ifNotExists,
      String partitionBy,
      ViewOptions options) {
    return new MaterializedViewCommand(Kind.CREATE, name, query, ifNotExists, options, partitionBy);
  }

  /** {@code REFRESH MATERIALIZED VIEW name [OPTIONS (...)]}. */
  public static MaterializedViewCommand refresh(List<String> name, ViewOptions options) {
    return new MaterializedViewCommand(Kind.REFRESH, name, null, false, options, null);
  }

  /** {@code DROP MATERIALIZED VIEW [IF EXISTS] name}. */
  public static MaterializedViewCommand drop(List<String> name, boolean ifExists) {
    return new MaterializedViewCommand(Kind.DROP, name, null, ifExists, ViewOptions.NONE, null);
  }

  /** {@code SHOW MATERIALIZED VIEWS [IN namespace]}. */
  public static MaterializedViewCommand show(List<String> namespace) {
    return new MaterializedViewCommand(Kind.SHOW, namespace, null, false, ViewOptions.NONE, null);
  }

  public Kind kind() {
    return kind;
  }

  public String query() {
    return query;
  }

  public boolean ifClause() {
    return ifClause;
  }

  @Override
  protected List<Object> fields() {
    return java.util.Arrays.asList(kind, table(), query, ifClause, options, partitionBy);
  }
}
