package dev.lancet.spark.sql.plans;

import java.util.List;
import java.util.Map;

/**
 * {@code ALTER TABLE t LOAD COLUMNS (a, b) FROM source KEY (id) [OPTIONS (...)]}: brings columns
 * computed elsewhere into the table by key, with a backfill's options.
 */
public final class LoadColumns extends LancetCommand {
  private final List<String> columns;
  private final List<String> sourceTable;
  private final String sourcePath;
  private final String key;
  private final Map<String, String> options;

  /**
   * @param sourceTable the source table's name parts, or empty when the source is a path
   * @param sourcePath the source's path (Parquet, JSON, CSV or Lance), or null
   */
  public LoadColumns(
      List<String> table,
      List<String> columns,
      List<String> sourceTable,
      String sourcePath,
      String key,
      Map<String, String> options) {
    super(table, BackfillColumns.OUTPUT_SCHEMA);
    this.columns = List.copyOf(columns);
    this.sourceTable = List.copyOf(sourceTable);
    this.sourcePath = sourcePath;
    this.key = key;
    this.options = Map.copyOf(options);
  }

  /** The load's backfill options (engine, batch_size, ...). */
  public Map<String, String> options() {
    return options;
  }

  public List<String> columns() {
    return columns;
  }

  public List<String> sourceTable() {
    return sourceTable;
  }

  public String sourcePath() {
    return sourcePath;
  }

  public String key() {
    return key;
  }

  @Override
  protected List<Object> fields() {
    return java.util.Arrays.asList(table(), columns, sourceTable, sourcePath, key, options);
  }
}
