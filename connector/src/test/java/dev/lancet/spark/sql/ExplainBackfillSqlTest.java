package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
 * EXPLAIN BACKFILL reads the plan the run would make and changes nothing: the rows it says it would
 * compute, by why, are exactly the rows the BACKFILL then computes (UDF calls), and the table's
 * version and job records stay as they were.
 */
class ExplainBackfillSqlTest extends SparkSqlTest {
  private static final String AREA = "dev.lancet.testing.udfs.Counting$Area";

  @BeforeEach
  void reset() {
    Counting.CALLS.set(0);
    Counting.failFrom = Integer.MAX_VALUE;
  }

  private static void table(String name, int rows) {
    spark.sql("CREATE TABLE " + name + " (id INT, x INT, y INT)");
    spark.sql(
        "INSERT INTO "
            + name
            + " SELECT /*+ COALESCE(1) */ id, id, 2 FROM range(0, "
            + rows
            + ") AS t(id)");
    spark.sql("ALTER TABLE " + name + " ADD COLUMN area USING UDF '" + AREA + "'");
  }

  private static long jobs(String table) {
    return spark.sql("SHOW BACKFILL JOBS IN " + table).count();
  }

  private static Row explain(String sql) {
    return spark.sql(sql).first();
  }

  /** rows_to_compute, rows_new, rows_filtered_out, rows_input_changed, version, failed. */
  private static List<Long> reasons(Row r) {
    return List.of(
        r.<Long>getAs("rows_to_compute"),
        r.<Long>getAs("rows_new"),
        r.<Long>getAs("rows_filtered_out"),
        r.<Long>getAs("rows_input_changed"),
        r.<Long>getAs("rows_version_changed"),
        r.<Long>getAs("rows_failed"));
  }

  @Test
  void explainComputesAndRecordsNothingAndTheRunComputesWhatItSaid() {
    table("planned", 100);
    spark.sql(
        "ALTER TABLE planned ADD COLUMN twice USING UDF '"
            + AREA
            + "' INPUTS (id, x, x) OPTIONS (note = 'twice')");
    long version = tableVersion("planned");
    String first = null;
    for (int run = 0; run < 3; run++) {
      List<Row> rows = spark.sql("EXPLAIN BACKFILL planned (area, twice)").collectAsList();
      assertEquals(2, rows.size());
      assertEquals("area", rows.get(0).getAs("column"));
      assertEquals("twice", rows.get(1).getAs("column"));
      assertEquals(List.of(100L, 100L, 0L, 0L, 0L, 0L), reasons(rows.get(0)));
      assertEquals("ray", rows.get(0).getAs("engine"));
      assertNull(rows.get(0).getAs("estimated_seconds"), "no job yet");
      String plan = rows.get(0).getAs("plan");
      assertTrue(plan.contains("rows to compute: 100 (new 100)"), plan);
      assertTrue(plan.contains("estimate: unknown"), plan);
      first = first == null ? plan : first;
      assertEquals(first, plan, "the same statement explains the same plan");
    }
    assertEquals(0L, Counting.CALLS.get(), "nothing computed");
    assertEquals(version, tableVersion("planned"), "no new table version");
    assertEquals(0L, jobs("planned"), "no job recorded");

    Counting.CALLS.set(0);
    List<Row> ran = spark.sql("BACKFILL planned (area, twice)").collectAsList();
    assertEquals(200L, Counting.CALLS.get());
    assertEquals(100L, ran.get(0).<Long>getAs("rows_computed"));

    Row after = explain("EXPLAIN BACKFILL planned (area)");
    assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L), reasons(after));
    assertEquals(0, (int) after.getAs("fragments"));
    assertEquals(0.0, after.<Double>getAs("estimated_seconds"), 1e-9);
    assertTrue(after.<String>getAs("plan").contains("nothing to compute"));
  }

  @Test
  void rowsByReasonUnderAFilterAreTheRowsThatBackfillComputes() {
    table("why", 100);
    CountedBackfills.run(spark, "BACKFILL why (area) WHERE id < 40", 40);
    Counting.failFrom = 90;
    CountedBackfills.run(
        spark,
        "BACKFILL why (area) WHERE id < 95 OPTIONS (on_error = 'null', max_error_fraction = 1)",
        55);
    Counting.failFrom = Integer.MAX_VALUE;
    spark.sql("UPDATE why SET x = x + 1 WHERE id < 7");
    spark.sql("INSERT INTO why SELECT id, id, 2 FROM range(100, 103) AS t(id)");

    String filtered = "BACKFILL why (area) WHERE id < 50 OR id >= 90";
    // 0..6 updated, 90..94 failed, 95..99 left out by both runs, 100..102 new.
    Row r = explain("EXPLAIN " + filtered);
    assertEquals(List.of(20L, 3L, 5L, 7L, 0L, 5L), reasons(r));
    String plan = r.getAs("plan");
    assertTrue(
        plan.contains(
            "rows to compute: 20 (new 3, previously filtered out 5, input changed 7, failed 5)"),
        plan);
    CountedBackfills.run(spark, filtered, 20);
    assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L), reasons(explain("EXPLAIN " + filtered)));

    spark.sql("ALTER TABLE why ALTER COLUMN area SET UDF '" + AREA + "' OPTIONS (note = 'v2')");
    Row all = explain("EXPLAIN BACKFILL why (area)");
    assertEquals(List.of(103L, 0L, 0L, 0L, 103L, 0L), reasons(all));
    CountedBackfills.run(spark, "BACKFILL why (area)", 103);
  }

  @Test
  void tasksWorkersCommitsAndTheEstimateAreTheRunsOwn() {
    table("shape", 1000);
    Row split = explain("EXPLAIN BACKFILL shape (area) OPTIONS (task_size = 100, concurrency = 2)");
    assertEquals(1, (int) split.getAs("fragments"));
    assertEquals(10, (int) split.getAs("tasks"));
    assertEquals(2, (int) split.getAs("workers"));
    assertEquals(1, (int) split.getAs("commits"));
    String plan = split.getAs("plan");
    assertTrue(plan.contains("1 fragment(s) split into row ranges"), plan);
    assertTrue(plan.contains("tasks: 10 in 10 work group(s), at most 100 rows each"), plan);
    assertEquals(
        "spark",
        explain("EXPLAIN BACKFILL shape (area) OPTIONS (engine = 'spark')").getAs("engine"));

    String job = spark.sql("BACKFILL shape (area) WHERE id < 500").first().getAs("job_id");
    Row rest = explain("EXPLAIN BACKFILL shape (area)");
    assertEquals(500L, rest.<Long>getAs("rows_to_compute"));
    assertEquals(500L, rest.<Long>getAs("rows_filtered_out"));
    assertNotNull(rest.getAs("estimated_seconds"));
    assertTrue(rest.<Double>getAs("estimated_seconds") >= 0);
    assertTrue(rest.<String>getAs("plan").contains("the rate of job " + job), rest.toString());
  }

  @Test
  void explainFailsAsTheBackfillWouldWithOneLineAndChangesNothing() {
    table("wrong", 10);
    long version = tableVersion("wrong");
    assertMessage(
        "EXPLAIN BACKFILL wrong (x)",
        "[LANCET_COLUMN_NOT_VIRTUAL] column 'x' of lancet.default.wrong is not a virtual column");
    assertMessage("EXPLAIN BACKFILL wrong (area) WHERE nope > 1", "[LANCET_INVALID_FILTER]");
    assertMessage("EXPLAIN BACKFILL wrong", "expected '(' and the columns to backfill");
    assertEquals(version, tableVersion("wrong"));
    assertEquals(0L, jobs("wrong"));
  }

  private static void assertMessage(String sql, String expected) {
    Exception e = assertThrows(Exception.class, () -> spark.sql(sql).collectAsList(), sql);
    assertTrue(
        e.getMessage().contains(expected),
        "for: " + sql + "\nexpected: " + expected + "\nbut was: " + e.getMessage());
  }
}
