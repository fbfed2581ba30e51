package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.CountedBackfills;
import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.testing.udfs.Counting;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code BACKFILL t (c) [WHERE ...] LIMIT n}: a pilot run computes and commits at most n rows a
 * column, the next full run does not compute them again, and the job record keeps the limit, the
 * rate and the tasks' peak memory, which EXPLAIN shows.
 */
class PilotBackfillSqlTest extends SparkSqlTest {
  private static final String AREA = "dev.lancet.testing.udfs.Counting$Area";

  @BeforeEach
  void reset() {
    Counting.CALLS.set(0);
    Counting.failFrom = Integer.MAX_VALUE;
  }

  private static void table(String name) {
    spark.sql("CREATE TABLE " + name + " (id INT, x INT, y INT)");
    spark.sql("INSERT INTO " + name + " SELECT id, id, 2 FROM range(0, 100) AS t(id)");
    spark.sql("ALTER TABLE " + name + " ADD COLUMN area USING UDF '" + AREA + "'");
  }

  /** How many rows of the column hold a value, each checked against x * y (or x * x). */
  private static long computed(String table, String column, String expected) {
    return spark
        .sql(
            "SELECT count(*) FROM "
                + table
                + " WHERE "
                + column
                + " IS NOT NULL AND "
                + column
                + " = "
                + expected)
        .first()
        .getLong(0);
  }

  @Test
  void aPilotOfTwoColumnsComputesTenRowsEachAndTheFullRunOnlyTheRest() {
    table("pilot");
    spark.sql(
        "ALTER TABLE pilot ADD COLUMN square USING UDF '"
            + AREA
            + "' INPUTS (id, x, x) OPTIONS (note = 'square')");
    long before = tableVersion("pilot");
    Counting.CALLS.set(0);
    List<Row> rows = spark.sql("BACKFILL pilot (area, square) LIMIT 10").collectAsList();
    assertEquals(20, Counting.CALLS.get());
    for (Row r : rows) {
      assertEquals(10L, r.<Long>getAs("rows_computed"), r.toString());
      assertEquals(0L, r.<Long>getAs("rows_skipped"), r.toString());
    }
    assertTrue(tableVersion("pilot") > before);
    assertEquals(10, computed("pilot", "area", "x * y"));
    assertEquals(10, computed("pilot", "square", "x * x"));
    Row job =
        spark
            .sql(
                "SELECT row_limit, rows_per_second, peak_task_memory_bytes FROM"
                    + " pilot.backfill_jobs WHERE column = 'area'")
            .first();
    assertEquals(10L, job.<Long>getAs("row_limit"));
    assertTrue(job.<Double>getAs("rows_per_second") > 0);
    assertTrue(job.<Long>getAs("peak_task_memory_bytes") > 0);
    Row fresh =
        spark
            .sql(
                "SELECT rows_current, rows_never_computed FROM pilot.virtual_columns"
                    + " WHERE column = 'area'")
            .first();
    assertEquals(10L, fresh.<Long>getAs("rows_current"));
    assertEquals(90L, fresh.<Long>getAs("rows_never_computed"));

    String plan = spark.sql("EXPLAIN BACKFILL pilot (area)").first().getAs("plan");
    assertTrue(plan.contains("rows to compute: 90"), plan);
    assertTrue(plan.contains("memory: up to "), plan);

    Counting.CALLS.set(0);
    List<Row> full = spark.sql("BACKFILL pilot (area, square)").collectAsList();
    assertEquals(180, Counting.CALLS.get(), "the pilot's rows are not computed again");
    assertEquals(90L, full.get(0).<Long>getAs("rows_computed"));
    assertEquals(100, computed("pilot", "area", "x * y"));
    assertEquals(100, computed("pilot", "square", "x * x"));
    assertTrue(
        spark
            .sql("SELECT row_limit FROM pilot.backfill_jobs ORDER BY started_at DESC")
            .first()
            .isNullAt(0),
        "a full run has no limit");
  }

  @Test
  void theSamePilotThreeTimesComputesTheNextRowsAndAFilterChoosesAmongThem() {
    table("again");
    for (int run = 1; run <= 3; run++) {
      CountedBackfills.run(spark, "BACKFILL again (area) WHERE id >= 50 LIMIT 5", 5);
      assertEquals(5L * run, computed("again", "area", "x * y"));
    }
    assertEquals(
        0L,
        spark
            .sql("SELECT count(*) FROM again WHERE area IS NOT NULL AND id < 50")
            .first()
            .getLong(0));
    Row explained = spark.sql("EXPLAIN BACKFILL again (area) LIMIT 12").first();
    assertEquals(12L, explained.<Long>getAs("rows_to_compute"));
    assertTrue(explained.<String>getAs("plan").contains("LIMIT 12 (a pilot run)"));
    // LIMIT before or after OPTIONS, and on Spark's executors.
    CountedBackfills.run(spark, "BACKFILL again (area) LIMIT 7 OPTIONS (engine = 'spark')", 7);
    CountedBackfills.run(spark, "BACKFILL again (area) OPTIONS (batch_size = 3) LIMIT 7", 7);
    CountedBackfills.run(spark, "BACKFILL again (area) LIMIT 1000", 100 - 15 - 14);
  }

  @Test
  void aLimitThatIsNotAPositiveWholeNumberIsRefusedWhereItIsWritten() {
    table("badlimit");
    long version = tableVersion("badlimit");
    for (String sql :
        List.of(
            "BACKFILL badlimit (area) LIMIT 0",
            "BACKFILL badlimit (area) LIMIT -3",
            "BACKFILL badlimit (area) WHERE id > 3 LIMIT ten")) {
      Exception e = assertThrows(Exception.class, () -> spark.sql(sql).collectAsList(), sql);
      assertTrue(
          e.getMessage().contains("expected the most rows to compute after LIMIT"),
          sql + ": " + e.getMessage());
    }
    assertEquals(version, tableVersion("badlimit"));
    assertEquals(0L, Counting.CALLS.get());
  }
}
