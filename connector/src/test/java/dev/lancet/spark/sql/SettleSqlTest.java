package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.udfs.Counting;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tables with several virtual columns settle after every writer: after an UPDATE (lance-spark
 * rewrites the updated rows, every column in one file, into new fragments), a DELETE, an INSERT, a
 * compaction and a backfill of another column, each column computes exactly its missing or stale
 * rows once (an UPDATE makes stale only the columns whose inputs it set), and the same statement
 * again computes nothing and commits nothing. Proved per column by rows computed, by UDF calls and
 * by table versions.
 */
class SettleSqlTest extends SparkSqlTest {
  private static final String AREA = "dev.lancet.testing.udfs.Counting$Area";
  private static final String LABEL = "dev.lancet.testing.udfs.Counting$Label";

  @BeforeEach
  void reset() {
    Counting.CALLS.set(0);
    Counting.failFrom = Integer.MAX_VALUE;
    Counting.HOOK.set(null);
  }

  /** A table of 400 rows in four inserts, with the given virtual columns (name -> SQL). */
  private static void table(String name, Map<String, String> columns) {
    spark.sql("CREATE TABLE " + name + " (id INT, x INT, y INT, name STRING)");
    for (int part = 0; part < 4; part++) {
      spark.sql(
          "INSERT INTO "
              + name
              + " SELECT id, id % 7, 3, concat('n', id) FROM range("
              + part * 100
              + ", "
              + (part + 1) * 100
              + ") AS t(id)");
    }
    columns.forEach(
        (column, udf) ->
            spark.sql("ALTER TABLE " + name + " ADD COLUMN " + column + " USING " + udf));
  }

  private static Map<String, String> columns(int labels) {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("area", "UDF '" + AREA + "'");
    for (int i = 1; i <= labels; i++) {
      columns.put("l" + i, "UDF '" + LABEL + "' OPTIONS ('suffix' = '-" + i + "')");
    }
    return columns;
  }

  private static String backfillAll(Map<String, String> columns, String table) {
    return "BACKFILL " + table + " (" + String.join(", ", columns.keySet()) + ")";
  }

  /** Runs the statement; checks each column computed the rows given and the UDF calls total. */
  private static void backfill(String sql, Map<String, Long> expected) {
    Counting.CALLS.set(0);
    Map<String, Long> computed = new LinkedHashMap<>();
    for (Row r : spark.sql(sql).collectAsList()) {
      computed.put(r.getString(r.fieldIndex("column")), r.getLong(r.fieldIndex("rows_computed")));
    }
    assertEquals(expected, computed, sql);
    assertEquals(
        expected.values().stream().mapToLong(Long::longValue).sum(), Counting.CALLS.get(), sql);
  }

  private static Map<String, Long> rows(Map<String, String> columns, long area, long labels) {
    Map<String, Long> rows = new LinkedHashMap<>();
    columns.keySet().forEach(c -> rows.put(c, c.equals("area") ? area : labels));
    return rows;
  }

  /** The statement twice more: nothing computed, nothing committed, the same table version. */
  private static void settled(Map<String, String> columns, String table) {
    String sql = backfillAll(columns, table);
    long before = version(table);
    for (int run = 0; run < 2; run++) {
      backfill(sql, rows(columns, 0, 0));
    }
    assertEquals(before, version(table), sql + ": no new table version");
    assertValues(columns, table);
  }

  /** Every value is the UDF's of its row's current inputs. */
  private static void assertValues(Map<String, String> columns, String table) {
    StringBuilder wrongIf = new StringBuilder("area IS NULL OR area <> x * y");
    for (String c : columns.keySet()) {
      if (!c.equals("area")) {
        String expected = "concat(name, '-" + c.substring(1) + "')";
        wrongIf
            .append(" OR ")
            .append(c)
            .append(" IS NULL OR ")
            .append(c)
            .append(" <> ")
            .append(expected);
      }
    }
    long wrong =
        spark.sql("SELECT count(*) FROM " + table + " WHERE " + wrongIf).first().getLong(0);
    assertEquals(0, wrong, table + ": rows whose value is missing or not the UDF's");
  }

  private static long version(String table) {
    return LanceTestReads.version(uri(table));
  }

  private static String uri(String table) {
    return TableNameResolver.resolve(spark, Arrays.asList(table.split("\\."))).datasetUri();
  }

  @Test
  void twoColumnsSettleAfterAnUpdateAndOnlyTheColumnOfTheSetInputIsComputed() {
    Map<String, String> columns = columns(1);
    table("two", columns);
    String sql = backfillAll(columns, "two");
    backfill(sql, rows(columns, 400, 400));
    spark.sql("UPDATE two SET x = x + 1 WHERE id % 11 = 0"); // 37 rows
    backfill(sql, rows(columns, 37, 0));
    settled(columns, "two");
    spark.sql("UPDATE two SET name = concat(name, '!') WHERE id % 13 = 0"); // 31 rows
    backfill(sql, rows(columns, 0, 31));
    settled(columns, "two");
  }

  @Test
  void threeColumnsSettleAfterAnUpdateOfEveryInputDeletesAndInserts() {
    Map<String, String> columns = columns(2);
    table("three", columns);
    String sql = backfillAll(columns, "three");
    backfill(sql, rows(columns, 400, 400));
    spark.sql("UPDATE three SET x = x + 1, name = upper(name) WHERE id < 50");
    backfill(sql, rows(columns, 50, 50));
    settled(columns, "three");
    spark.sql("DELETE FROM three WHERE id % 5 = 0");
    settled(columns, "three");
    spark.sql(
        "INSERT INTO three (id, x, y, name) VALUES (1000, 2, 3, 'new'), (1001, 4, 5, 'new2')");
    backfill(sql, rows(columns, 2, 2));
    settled(columns, "three");
  }

  @Test
  void fiveColumnsSettleAfterUpdatesOneColumnAtATimeAndACompaction() {
    Map<String, String> columns = columns(4);
    table("five", columns);
    String all = backfillAll(columns, "five");
    backfill(all, rows(columns, 400, 400));
    spark.sql("UPDATE five SET name = concat(name, '+') WHERE id % 3 = 0"); // 134 rows
    // One column at a time, as separate statements: each rewrites the files the UPDATE wrote,
    // which the others share, and none of them makes another stale.
    for (String column : columns.keySet()) {
      backfill("BACKFILL five (" + column + ")", Map.of(column, column.equals("area") ? 0L : 134L));
    }
    settled(columns, "five");
    spark.sql("UPDATE five SET y = 4 WHERE id >= 390");
    backfill(all, rows(columns, 10, 0));
    spark.sql("DELETE FROM five WHERE id = 7");
    settled(columns, "five");
    // OPTIMIZE compacts the UPDATE's many small fragments, and the deletion, away.
    Row optimized = spark.sql("OPTIMIZE five").first();
    assertTrue(
        optimized.getInt(optimized.fieldIndex("fragments_after"))
            < optimized.getInt(optimized.fieldIndex("fragments_before")),
        optimized.toString());
    assertEquals(1, optimized.getInt(optimized.fieldIndex("fragments_after")));
    settled(columns, "five");
  }

  @Test
  void aBackfillOfOneColumnWhileAnotherWriterUpdatesAndBackfillsAnotherLeavesBothSettled() {
    Map<String, String> columns = columns(1);
    table("busy", columns);
    String sql = backfillAll(columns, "busy");
    backfill(sql, rows(columns, 400, 400));
    spark.sql("UPDATE busy SET x = x + 1, name = concat(name, '?') WHERE id < 100");
    // In the middle of area's backfill, another writer inserts, deletes, updates an input and
    // backfills l1 (on its own thread, as a second session would).
    Counting.HOOK.set(
        () -> {
          Thread other =
              new Thread(
                  () -> {
                    spark.sql("INSERT INTO busy (id, x, y, name) VALUES (2000, 1, 1, 'z')");
                    spark.sql("DELETE FROM busy WHERE id = 150");
                    spark.sql(
                        "UPDATE busy SET name = concat(name, '#') WHERE id BETWEEN 200 AND 209");
                    spark.sql("BACKFILL busy (l1)");
                  });
          other.start();
          try {
            other.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    spark.sql("BACKFILL busy (area)").collectAsList();
    // Whatever the interleaving, one more run computes what is left, and then nothing.
    spark.sql(sql).collectAsList();
    settled(columns, "busy");
    List<Row> z = spark.sql("SELECT area, l1 FROM busy WHERE id = 2000").collectAsList();
    assertEquals(1L, z.get(0).getLong(0));
    assertEquals("z-1", z.get(0).getString(1));
  }
}
