package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.testing.udfs.Counting;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failed rows through SQL: retried, recorded in the errors table, shown, and computed again after a
 * fix.
 */
class ErrorsSqlTest extends SparkSqlTest {
  private static final String FLAKY = "dev.lancet.testing.udfs.Flaky";

  @AfterEach
  void reset() {
    Counting.failFrom = Integer.MAX_VALUE;
  }

  @BeforeEach
  void freshCounters() {
    dev.lancet.testing.udfs.Flaky.reset(); // ErrorsOnSparkEngineSqlTest runs these cases again
  }

  private static void table(String name, String udf, String options) {
    spark.sql("CREATE TABLE " + name + " (id INT, x INT, y INT)");
    spark.sql("INSERT INTO " + name + " VALUES (1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 6)");
    spark.sql(
        "ALTER TABLE "
            + name
            + " ADD COLUMN area USING UDF '"
            + udf
            + "' OPTIONS ("
            + options
            + ")");
  }

  @Test
  void transientFailuresAreRetriedAndNothingIsRecorded() {
    table(
        "retried",
        FLAKY,
        "on_error = 'retry', retry_attempts = '3', retry_backoff_ms = '1', fail_times = '2',"
            + " counter = 'retried'");
    Row r = spark.sql("BACKFILL retried (area)").first();
    assertEquals(4L, r.getLong(r.fieldIndex("rows_computed")));
    assertEquals(0L, r.getLong(r.fieldIndex("rows_failed")));
    assertEquals(8L, spark.sql("SELECT sum(area) FROM retried").first().getLong(0) - 60);
    assertEquals(0, spark.sql("SHOW BACKFILL ERRORS IN retried").count());
  }

  @Test
  void rowsThatFailAfterTheirRetriesAreRecordedWithTheirAttemptsAndComputedAgainLater() {
    table(
        "exhausted",
        FLAKY,
        "on_error = 'retry', retry_attempts = '3', retry_backoff_ms = '1', retry_on ="
            + " 'IOException', retry_then = 'null', fail_times = '4', counter = 'exhausted',"
            + " max_error_fraction = '1'");
    Row r = spark.sql("BACKFILL exhausted (area)").first();
    assertEquals(4L, r.getLong(r.fieldIndex("rows_failed")));
    String job = r.getAs("job_id");

    List<Row> errors =
        spark.sql("SHOW BACKFILL ERRORS IN exhausted FOR JOB '" + job + "'").collectAsList();

    assertEquals(4, errors.size());
    Row first =
        errors.stream()
            .filter(e -> ((String) e.getAs("inputs")).startsWith("id=1,"))
            .findFirst()
            .orElseThrow();
    assertEquals("id=1, x=2, y=3", first.getAs("inputs"));
    assertEquals(3, (int) first.getAs("attempts"));
    assertTrue(
        ((String) first.getAs("error"))
            .startsWith("java.io.IOException: connection reset by peer (call 3 for id 1)"),
        first.toString());
    assertEquals(job, first.getAs("job_id"));
    assertEquals("area", first.getAs("column"));
    // The service recovers (the 5th call per row succeeds): the failed rows are computed again, and
    // only they.
    Row again = spark.sql("BACKFILL exhausted (area) WHERE area IS NULL").first();
    assertEquals(4L, again.getLong(again.fieldIndex("rows_computed")));
    assertEquals(0L, again.getLong(again.fieldIndex("rows_failed")));
    assertEquals(
        0,
        spark
            .sql("SHOW BACKFILL ERRORS IN exhausted FOR JOB '" + again.getAs("job_id") + "'")
            .count());
  }

  @Test
  void rowsThatFailForGoodAreReportedOnEveryRerunAndOnlyNewFailuresAreJudged() {
    spark.sql("CREATE TABLE stuck (id INT, x INT, y INT)");
    spark.sql(
        "INSERT INTO stuck SELECT CAST(id AS INT), CAST(id % 7 + 1 AS INT), CAST(id % 5 + 2 AS INT)"
            + " FROM range(1, 201)");
    spark.sql(
        "ALTER TABLE stuck ADD COLUMN area USING UDF 'dev.lancet.testing.udfs.Counting$Area'"
            + " OPTIONS (on_error = 'null', max_error_fraction = '0.6')");
    // Ids 101 to 200 fail, every time: more failed rows than a receipt names (20).
    Counting.failFrom = 101;
    String backfill = "BACKFILL stuck (area)";
    Row first = spark.sql(backfill).first();
    assertEquals(100L, first.getLong(first.fieldIndex("rows_failed"))); // 100 of 200: under 0.6
    for (int run = 2; run <= 3; run++) {
      // The failed rows are not current, so they are computed again, and fail again: reported,
      // not judged again (100 of 100 would be over the fraction every time, until the UDF is
      // fixed).
      Row again = spark.sql(backfill).first();
      assertEquals(100L, again.getLong(again.fieldIndex("rows_computed")), "run " + run);
      assertEquals(100L, again.getLong(again.fieldIndex("rows_failed")), "run " + run);
    }
    spark.sql("INSERT INTO stuck VALUES (201, 2, 3), (202, 3, 4)"); // two new rows that fail too
    Exception e = assertThrows(Exception.class, () -> spark.sql(backfill));
    // New failures are judged: the first receipt with one is over the fraction.
    assertTrue(
        e.getMessage().contains("rows failed, more than max_error_fraction 0.6")
            && e.getMessage().matches("(?s).*failing on purpose at id 20[12].*"),
        e.getMessage());
    Counting.failFrom = Integer.MAX_VALUE; // fixed: every failed and new row computes
    Row fixed = spark.sql(backfill).first();
    assertEquals(102L, fixed.getLong(fixed.fieldIndex("rows_computed")));
    assertEquals(0L, fixed.getLong(fixed.fieldIndex("rows_failed")));
    assertEquals(
        spark.sql("SELECT sum(CAST(x AS BIGINT) * y) FROM stuck").first().getLong(0),
        spark.sql("SELECT sum(area) FROM stuck").first().getLong(0));
    assertEquals(0L, spark.sql("SELECT count(*) FROM stuck WHERE area IS NULL").first().getLong(0));
  }

  @Test
  void twoColumnsInOneStatementComputeTheirFailedRowsOnce() {
    spark.sql("CREATE TABLE pair (id INT, x INT, y INT)");
    spark.sql(
        "INSERT INTO pair SELECT /*+ REPARTITION(1) */ CAST(id AS INT), CAST(id % 7 + 1 AS INT),"
            + " CAST(id % 5 + 2 AS INT) FROM range(1, 201)");
    spark.sql(
        "ALTER TABLE pair ADD COLUMN area USING UDF 'dev.lancet.testing.udfs.Counting$Area'"
            + " OPTIONS (on_error = 'null', max_error_fraction = '0.6')");
    spark.sql("ALTER TABLE pair ADD COLUMN twice AS (x * 2)");
    // One fragment: a fragment of only failing rows, judged first, would be over the fraction.
    Counting.failFrom = 101;
    Counting.CALLS.set(0);
    // Each column's job sees the other's commit; that is no reason to compute area's failed rows
    // again in a second round, nor to count them twice.
    Row area =
        spark.sql("BACKFILL pair (area, twice)").collectAsList().stream()
            .filter(r -> "area".equals(r.getAs("column")))
            .findFirst()
            .orElseThrow();
    assertEquals(200, Counting.CALLS.get());
    assertEquals(200L, area.getLong(area.fieldIndex("rows_computed")));
    assertEquals(100L, area.getLong(area.fieldIndex("rows_failed")));
  }

  @Test
  void theRowThatFailsABackfillIsRecordedToo() {
    table("failing", "dev.lancet.testing.udfs.Counting$Area", "on_error = 'fail'");
    Counting.failFrom = 3;
    Exception e =
        assertThrows(
            Exception.class, () -> spark.sql("BACKFILL failing (area) OPTIONS (concurrency = 1)"));
    assertTrue(e.getMessage().contains("failing on purpose at id"), e.getMessage());
    List<Row> errors =
        spark.sql("SHOW BACKFILL ERRORS").collectAsList().stream()
            .filter(row -> "lancet.default.failing".equals(row.getAs("table")))
            .toList();
    assertTrue(errors.size() >= 1, "at least the row that failed it: " + errors);
    assertEquals(1, (int) errors.get(0).getAs("attempts"));
  }
}
