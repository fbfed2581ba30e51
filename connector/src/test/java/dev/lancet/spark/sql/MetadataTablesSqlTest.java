package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.SparkSqlTest;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.junit.jupiter.api.Test;

/**
 * A Lance table's jobs, errors and virtual columns as plain tables (Iceberg's {@code t.snapshots}
 * convention): {@code t.backfill_jobs}, {@code t.backfill_errors}, {@code t.virtual_columns} hold
 * the rows the SHOW statements return, with filters, joins and aggregates, under every name of the
 * table, and as the table is at each query.
 */
class MetadataTablesSqlTest extends SparkSqlTest {
  private static List<String> strings(String sql) {
    return spark.sql(sql).collectAsList().stream().map(r -> r.mkString("|")).toList();
  }

  @Test
  void jobsErrorsAndVirtualColumnsAreTablesThatJoinAndFilter() {
    spark.sql("CREATE TABLE meta (id INT, x INT, y INT)");
    spark.sql("INSERT INTO meta SELECT id, id, 2 FROM range(0, 20) AS t(id)");
    spark.sql("ALTER TABLE meta ADD COLUMN area USING UDF 'dev.lancet.testing.udfs.Area'");
    spark.sql(
        "ALTER TABLE meta ADD COLUMN checked USING UDF 'dev.lancet.testing.udfs.FailsOnSeven'"
            + " INPUTS (id) OPTIONS (on_error = 'null', max_error_fraction = '1')");
    String areaJob = spark.sql("BACKFILL meta (area) WHERE id < 10").first().getAs("job_id");
    String checkedJob = spark.sql("BACKFILL meta (checked)").first().getAs("job_id");

    assertEquals(
        List.of("area|10|succeeded", "checked|20|succeeded"),
        strings("SELECT column, rows_computed, status FROM meta.backfill_jobs ORDER BY column"));
    assertEquals(
        List.of(checkedJob + "|checked|id=7"),
        strings("SELECT job_id, column, inputs FROM meta.backfill_errors"));
    // A join and an aggregate: failed rows per job, jobs without failures included.
    assertEquals(
        List.of(areaJob + "|0", checkedJob + "|1"),
        strings(
            "SELECT j.job_id, count(e.row) FROM meta.backfill_jobs j"
                + " LEFT JOIN meta.backfill_errors e ON j.job_id = e.job_id"
                + " GROUP BY j.job_id, j.column ORDER BY j.column"));
    // The same rows as SHOW VIRTUAL COLUMNS, filtered in SQL.
    assertEquals(
        List.of("area|10|20"),
        strings(
            "SELECT column, rows_current, rows FROM meta.virtual_columns WHERE column = 'area'"));
    assertEquals(
        spark.sql("SHOW VIRTUAL COLUMNS IN meta").collectAsList(),
        spark.sql("SELECT * FROM meta.virtual_columns").collectAsList());
    // Under the table's full names too.
    assertEquals(
        2L, spark.sql("SELECT count(*) FROM lancet.default.meta.backfill_jobs").first().getLong(0));
    assertEquals(
        2L, spark.sql("SELECT count(*) FROM default.meta.backfill_jobs").first().getLong(0));

    // Each query reads them as they are then.
    spark.sql("BACKFILL meta (area)");
    assertEquals(
        List.of("10", "10"),
        strings(
            "SELECT rows_computed FROM meta.backfill_jobs WHERE column = 'area'"
                + " ORDER BY started_at"));
    assertEquals(
        List.of("area|20"),
        strings("SELECT column, rows_current FROM meta.virtual_columns WHERE column = 'area'"));
  }

  @Test
  void aRealTableComesFirstAndAMissingOneIsNotFound() {
    spark.sql("CREATE TABLE backfill_jobs (a INT)");
    spark.sql("INSERT INTO backfill_jobs VALUES (5)");
    assertEquals(5, spark.sql("SELECT a FROM backfill_jobs").first().getInt(0));
    assertEquals(5, spark.sql("SELECT a FROM default.backfill_jobs").first().getInt(0));

    AnalysisException e =
        assertThrows(
            AnalysisException.class, () -> spark.sql("SELECT * FROM nowhere.backfill_jobs"));
    assertTrue(e.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), e.getMessage());
  }
}
