package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.SparkSqlTest;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * SQL-expression virtual columns ({@code ADD COLUMN area AS (x * y)}): computed by the backfill
 * engine with Spark's own evaluation, so every value equals what Spark computes for the same
 * expression in a query; incremental as UDF columns are, the expression part of the version, and
 * anything that is not a deterministic value of the row refused in one line.
 */
class ExpressionColumnSqlTest extends SparkSqlTest {
  private static void table(String name) {
    spark.sql("CREATE TABLE " + name + " (id INT, x INT, y INT, name STRING)");
    spark.sql(
        "INSERT INTO "
            + name
            + " VALUES (1, 2, 3, 'Cat_Video'), (2, 3, 4, NULL), (3, 4, 5, 'dog_walk_park'),"
            + " (4, -5, 6, 'Owl'), (5, 2147483647, 2, 'BIG')");
  }

  /** Rows where the column differs from Spark's own value of the expression. */
  private static long differing(String table, String column, String expression) {
    return spark
        .sql(
            "SELECT count(*) FROM "
                + table
                + " WHERE NOT ("
                + column
                + " <=> ("
                + expression
                + "))")
        .first()
        .getLong(0);
  }

  private static Row backfill(String sql) {
    return spark.sql(sql).first();
  }

  @Test
  void everyValueIsWhatSparkComputesForTheExpression() {
    table("exprs");
    Map<String, String> columns =
        new java.util.LinkedHashMap<>(
            Map.of(
                "area", "x * y",
                "scaled", "x * 1.5",
                "lowered", "lower(name)",
                "words", "size(split(name, '_'))",
                "kind", "CASE WHEN x > 2 THEN 'big' WHEN x < 0 THEN 'negative' ELSE 'small' END",
                "named", "nvl(name, 'none')",
                "shout", "concat(upper(name), '!')"));
    String adds =
        String.join(
            ", ",
            columns.entrySet().stream()
                .map(e -> e.getKey() + " AS (" + e.getValue() + ")")
                .toList());
    spark.sql("ALTER TABLE exprs ADD COLUMNS " + adds);
    Map<String, String> types = new java.util.HashMap<>();
    for (Row r : spark.sql("SHOW VIRTUAL COLUMNS IN exprs").collectAsList()) {
      types.put(r.getAs("column"), r.getAs("type"));
      assertTrue(r.<String>getAs("options").contains("expression="), r.toString());
    }
    assertEquals("int", types.get("area"), "int * int is an int in Spark");
    assertEquals("decimal(13,1)", types.get("scaled"));
    assertEquals("string", types.get("lowered"));
    assertEquals("int", types.get("words"));

    List<Row> results =
        spark.sql("BACKFILL exprs (" + String.join(", ", columns.keySet()) + ")").collectAsList();
    for (Row r : results) {
      assertEquals(5L, r.<Long>getAs("rows_computed"), r.toString());
    }
    columns.forEach((c, e) -> assertEquals(0L, differing("exprs", c, e), c + " AS (" + e + ")"));
    // The same statement again computes nothing.
    long before = tableVersion("exprs");
    for (int run = 0; run < 2; run++) {
      for (Row r : spark.sql("BACKFILL exprs (area, lowered)").collectAsList()) {
        assertEquals(0L, r.<Long>getAs("rows_computed"));
      }
    }
    assertEquals(before, tableVersion("exprs"));
  }

  @Test
  void anUpdateRecomputesItsRowsAndANewExpressionRecomputesAll() {
    table("incr");
    spark.sql("ALTER TABLE incr ADD COLUMN area AS (x * y)");
    assertEquals(5L, backfill("BACKFILL incr (area)").<Long>getAs("rows_computed"));
    spark.sql("UPDATE incr SET x = 10 WHERE id = 2");
    spark.sql("UPDATE incr SET name = 'renamed' WHERE id = 3"); // not an input
    assertEquals(1L, backfill("BACKFILL incr (area)").<Long>getAs("rows_computed"));
    assertEquals(0L, differing("incr", "area", "x * y"));

    String version = spark.sql("SHOW VIRTUAL COLUMNS IN incr").first().<String>getAs("version");
    spark.sql("ALTER TABLE incr ALTER COLUMN area SET AS (x + y)");
    assertTrue(
        !version.equals(spark.sql("SHOW VIRTUAL COLUMNS IN incr").first().getAs("version")),
        "the expression text is part of the version");
    Row rows = spark.sql("SELECT rows_version_changed FROM incr.virtual_columns").first();
    assertEquals(5L, rows.getLong(0));
    assertEquals(
        5L,
        backfill("BACKFILL incr (area) OPTIONS (engine = 'spark')").<Long>getAs("rows_computed"));
    assertEquals(0L, differing("incr", "area", "x + y"));
  }

  @Test
  void theSessionsSqlSettingsWhenTheColumnIsAddedAreTheOnesItIsComputedUnder() {
    table("ansi");
    spark.conf().set("spark.sql.ansi.enabled", "true");
    try {
      spark.sql("ALTER TABLE ansi ADD COLUMN strict AS (x + 1)");
    } finally {
      spark.conf().set("spark.sql.ansi.enabled", "false");
    }
    spark.sql("ALTER TABLE ansi ADD COLUMN wraps AS (x + 1)");
    assertEquals(5L, backfill("BACKFILL ansi (wraps)").<Long>getAs("rows_computed"));
    assertEquals(0L, differing("ansi", "wraps", "x + 1"), "2147483647 + 1 wraps without ANSI");
    Exception e =
        assertThrows(Exception.class, () -> spark.sql("BACKFILL ansi (strict)").collect());
    assertTrue(e.getMessage().contains("ARITHMETIC_OVERFLOW"), e.getMessage());
    assertEquals(
        4L,
        backfill("BACKFILL ansi (strict) WHERE id < 5").<Long>getAs("rows_computed"),
        "the other rows compute under ANSI too");
  }

  @Test
  void whatIsNotADeterministicValueOfTheRowIsRefusedAndTheTableIsUnchanged() {
    table("bad");
    long version = tableVersion("bad");
    for (List<String> c :
        List.of(
            List.of("r AS (rand())", "it is not deterministic"),
            List.of("d AS (current_date())", "current_date() is not a function of the row"),
            List.of("t AS (current_timestamp)", "current_timestamp() is not a function of the row"),
            List.of("s AS (sum(x))", "cannot be a virtual column"),
            List.of("n AS (nope + 1)", "nope"),
            List.of("p AS (x +)", "cannot be a virtual column"),
            List.of(
                "big bigint AS (x * y)", "is declared bigint but the expression 'x * y' is int"))) {
      String sql = "ALTER TABLE bad ADD COLUMN " + c.get(0);
      Exception e = assertThrows(Exception.class, () -> spark.sql(sql), sql);
      assertTrue(e.getMessage().contains(c.get(1)), sql + ": " + e.getMessage());
      assertTrue(
          e.getMessage().startsWith("[LANCET_INVALID_EXPRESSION]")
              || e.getMessage().startsWith("[LANCET_INVALID_TYPE]"),
          e.getMessage());
    }
    assertEquals(version, tableVersion("bad"));
    assertEquals(0L, spark.sql("SHOW VIRTUAL COLUMNS IN bad").count());
    spark.sql("ALTER TABLE bad ADD COLUMN big bigint AS (CAST(x AS BIGINT) * y)");
    assertEquals(5L, backfill("BACKFILL bad (big)").<Long>getAs("rows_computed"));
    assertEquals(0L, differing("bad", "big", "CAST(x AS BIGINT) * y"));
  }
}
