package dev.lancet.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The Java API's entry point, over the same engine as the SQL statements.
 *
 * <pre>{@code
 * Lancet.table(spark, "videos")
 *     .addColumns(Map.of("area", VirtualColumn.of(Area.class)))
 *     .backfill("area");
 * }</pre>
 */
public final class Lancet {
  private Lancet() {}

  /**
   * A Lance table by name, resolved as Spark SQL resolves it (bare names in the current namespace).
   */
  public static LancetTable table(SparkSession spark, String name) {
    return new LancetTable(spark, name);
  }
}
