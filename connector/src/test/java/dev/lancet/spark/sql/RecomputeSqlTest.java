package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.udfs.Counting;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lance.Dataset;
import org.lance.compaction.CompactionOptions;

/**
 * The reference flow through SQL: a backfill computes exactly the rows whose value is missing or
 * stale after each change a user makes (appends, deletes, updates, other filters, compaction, a new
 * UDF), proved by UDF calls and table versions; the same statement once more commits nothing.
 */
class RecomputeSqlTest extends SparkSqlTest {
  private static final String COUNTING = "dev.lancet.testing.udfs.Counting$Area";

  @BeforeEach
  void reset() {
    Counting.CALLS.set(0);
    Counting.failFrom = Integer.MAX_VALUE;
  }

  private static void table(String name) {
    spark.sql("CREATE TABLE " + name + " (id INT, x INT, y INT, name STRING)");
    spark.sql(
        "INSERT INTO "
            + name
            + " VALUES (1, 2, 3, 'a.mp4'), (2, 3, 4, 'ab.mp4'), (3, 4, 5, 'b.mp4')");
    spark.sql("INSERT INTO " + name + " VALUES (4, 5, 6, 'c.mp4'), (5, 6, 7, 'a5.mp4')");
    spark.sql("ALTER TABLE " + name + " ADD COLUMN area USING UDF '" + COUNTING + "'");
  }

  private static long version(String table) {
    return LanceTestReads.version(uri(table));
  }

  private static String uri(String table) {
    return TableNameResolver.resolve(spark, Arrays.asList(table.split("\\."))).datasetUri();
  }

  /** Runs a BACKFILL statement and checks it computed {@code rows} rows with as many UDF calls. */
  private static Row backfill(String sql, long rows) {
    return dev.lancet.spark.testing.CountedBackfills.run(spark, sql, rows);
  }

  /** The same statement again computes nothing, commits nothing, and leaves the version. */
  private static void settled(String sql, String table) {
    long before = version(table);
    for (int run = 0; run < 2; run++) {
      Row r = backfill(sql, 0);
      assertEquals(0, r.getInt(r.fieldIndex("commits")), sql + ": no commit");
      assertEquals(before, r.getLong(r.fieldIndex("table_version")));
    }
    assertEquals(before, version(table), sql + ": no new table version");
  }

  private static String areas(String table) {
    return spark.sql("SELECT id, area FROM " + table + " ORDER BY id").collectAsList().stream()
        .map(r -> r.get(0) + "=" + r.get(1))
        .collect(Collectors.joining(","));
  }

  @Test
  void afterAPlainInsertTheSameBackfillComputesTheNewRowsOnly() {
    table("appended");
    String sql = "BACKFILL appended (area)";
    backfill(sql, 5);
    settled(sql, "appended");

    spark.sql("INSERT INTO appended VALUES (6, 7, 8, 'd.mp4'), (7, 8, 9, 'e.mp4')");
    backfill(sql, 2);
    settled(sql, "appended");
    assertEquals("1=6,2=12,3=20,4=30,5=42,6=56,7=72", areas("appended"));
  }

  @Test
  void aColumnNamedTwiceInInputsIsComputedAndRecomputedOnUpdate() {
    table("twice");
    spark.sql("ALTER TABLE twice ADD COLUMN square USING UDF '" + COUNTING + "' INPUTS (id, x, x)");
    String sql = "BACKFILL twice (square)";
    backfill(sql, 5);
    spark.sql("UPDATE twice SET x = 10 WHERE id = 2");
    backfill(sql, 1);
    settled(sql, "twice");
    assertEquals(
        "1=4,2=100,3=16,4=25,5=36",
        spark.sql("SELECT id, square FROM twice ORDER BY id").collectAsList().stream()
            .map(r -> r.get(0) + "=" + r.get(1))
            .collect(Collectors.joining(",")));
  }

  @Test
  void aDeleteRecomputesNothing() {
    table("deleted");
    String sql = "BACKFILL deleted (area)";
    backfill(sql, 5);
    spark.sql("DELETE FROM deleted WHERE id = 2");
    settled(sql, "deleted");
    assertEquals("1=6,3=20,4=30,5=42", areas("deleted"));
  }

  @Test
  void anUpdateOfAnInputRecomputesTheUpdatedRowOnly() {
    table("updated");
    String sql = "BACKFILL updated (area)";
    backfill(sql, 5);
    spark.sql("UPDATE updated SET x = 100 WHERE id = 3");
    backfill(sql, 1);
    settled(sql, "updated");
    assertEquals("1=6,2=12,3=500,4=30,5=42", areas("updated"));
  }

  @Test
  void aRowComputedUnderOneFilterIsDoneUnderEveryOther() {
    table("filtered");
    backfill("BACKFILL filtered (area) WHERE name LIKE 'a%'", 3);
    backfill("BACKFILL filtered (area) WHERE name = 'a.mp4'", 0);
    settled("BACKFILL filtered (area) WHERE name LIKE 'a%'", "filtered");
    assertEquals("1=6,2=12,3=null,4=null,5=42", areas("filtered"));
    backfill("BACKFILL filtered (area) WHERE area IS NULL", 2);
    settled("BACKFILL filtered (area)", "filtered");
  }

  @Test
  void aCompactionOfComputedRowsRecomputesNothing() {
    table("compacted");
    String sql = "BACKFILL compacted (area)";
    backfill(sql, 5);
    spark.sql("DELETE FROM compacted WHERE id = 4");
    try (RootAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri("compacted"), a)) {
      ds.compact(
          CompactionOptions.builder()
              .withTargetRowsPerFragment(1000)
              .withMaterializeDeletions(true)
              .build());
    }
    settled(sql, "compacted");
    assertEquals("1=6,2=12,3=20,5=42", areas("compacted"));
  }

  @Test
  void aNewUdfDefinitionRecomputesEveryRowOnce() {
    table("redefined");
    String sql = "BACKFILL redefined (area)";
    backfill(sql, 5);
    spark.sql(
        "ALTER TABLE redefined ALTER COLUMN area SET UDF '"
            + COUNTING
            + "' OPTIONS ('note' = 'v2')");
    backfill(sql, 5);
    settled(sql, "redefined");
  }

  @Test
  void errorPoliciesAreOptionsOfOneRun() {
    table("policies");
    Counting.failFrom = 4; // ids 4 and 5 throw
    Row r =
        spark
            .sql("BACKFILL policies (area) OPTIONS (on_error = 'null', max_error_fraction = 0.5)")
            .first();
    assertEquals(2L, r.getLong(r.fieldIndex("rows_failed")));
    Counting.failFrom = Integer.MAX_VALUE;
    backfill("BACKFILL policies (area) WHERE area IS NULL", 2);
    assertEquals("1=6,2=12,3=20,4=30,5=42", areas("policies"));
  }
}
