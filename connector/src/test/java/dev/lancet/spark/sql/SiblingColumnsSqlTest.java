package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.lance.LanceDatasets;
import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.testing.CountedBackfills;
import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.testing.udfs.Counting;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.fragment.DataFile;

/**
 * Sibling columns: one UDF returning a record, registered as one column per field ({@code ADD
 * COLUMNS (s, p, l) USING UDF}). One call per row computes every sibling; a backfill of any of them
 * computes the group in one pass and writes one file per fragment for it; recompute, errors, SET
 * UDF and DROP act on the group.
 */
class SiblingColumnsSqlTest extends SparkSqlTest {
  private static final String SHAPE = "dev.lancet.testing.udfs.Counting$Shape";
  private static final String SHAPE_V2 = "dev.lancet.testing.udfs.Counting$ShapeV2";
  private static final String AREA = "dev.lancet.testing.udfs.Counting$Area";

  @BeforeEach
  void reset() {
    Counting.CALLS.set(0);
    Counting.failFrom = Integer.MAX_VALUE;
  }

  private static void table(String name, int rows) {
    spark.sql("CREATE TABLE " + name + " (id INT, x INT, y INT)");
    spark.sql("INSERT INTO " + name + " SELECT id, id, 2 FROM range(0, " + rows + ") AS t(id)");
    spark.sql("ALTER TABLE " + name + " ADD COLUMNS (s, p, l) USING UDF '" + SHAPE + "'");
  }

  /** Every row's siblings are those of its x and y now. */
  private static void assertValues(String table, long expectedRows) {
    List<Row> rows = spark.sql("SELECT id, x, y, s, p, l FROM " + table).collectAsList();
    assertEquals(expectedRows, rows.size());
    for (Row r : rows) {
      int x = r.getInt(1);
      int y = r.getInt(2);
      assertEquals((long) x + y, r.getLong(3), "s of " + r);
      assertEquals((long) x * y, r.getLong(4), "p of " + r);
      assertEquals(x + "x" + y, r.getString(5), "l of " + r);
    }
  }

  private static List<Row> shown(String table) {
    return spark.sql("SHOW VIRTUAL COLUMNS IN " + table).collectAsList();
  }

  @Test
  void oneCallPerRowComputesEverySiblingAndTheSameStatementAgainComputesNothing() {
    table("shapes", 100);
    assertEquals("bigint", spark.table("shapes").schema().apply("p").dataType().simpleString());
    assertEquals("string", spark.table("shapes").schema().apply("l").dataType().simpleString());
    List<Row> before = shown("shapes");
    assertEquals(
        List.of("s", "p", "l"), before.stream().map(r -> r.<String>getAs("column")).toList());
    for (Row r : before) {
      assertEquals("s, p, l", r.getAs("siblings"));
      assertEquals(100L, (long) r.getAs("rows_never_computed"));
    }
    assertEquals("string", before.get(2).getAs("type"));

    long version = tableVersion("shapes");
    CountedBackfills.run(spark, "BACKFILL shapes (p)", 100);
    assertEquals(version + 1, tableVersion("shapes"));
    assertValues("shapes", 100);
    for (int run = 0; run < 2; run++) {
      CountedBackfills.run(spark, "BACKFILL shapes (l)", 0);
      CountedBackfills.run(spark, "BACKFILL shapes (s, p, l)", 0); // the group once
    }
    assertEquals(version + 1, tableVersion("shapes"));
    for (Row r : shown("shapes")) {
      assertEquals(100L, (long) r.getAs("rows_current"), r.toString());
    }
    // One file per fragment for the group, beside the original columns' file.
    String uri = TableNameResolver.resolve(spark, List.of("shapes")).datasetUri();
    try (Dataset dataset = LanceDatasets.open(uri, Map.of())) {
      for (Fragment f : dataset.getFragments()) {
        List<DataFile> files = f.metadata().getFiles();
        assertEquals(2, files.size(), "files of fragment " + f.getId());
        assertEquals(3, files.get(1).getFields().length, "the group's file: " + files.get(1));
      }
    }
  }

  @Test
  void appendsUpdatesAndDeletesRecomputeTheGroupForExactlyTheirRows() {
    table("changes", 100);
    CountedBackfills.run(spark, "BACKFILL changes (s) WHERE id < 40", 40);
    CountedBackfills.run(spark, "BACKFILL changes (s)", 60);
    spark.sql("INSERT INTO changes SELECT id, id, 3 FROM range(100, 110) AS t(id)");
    CountedBackfills.run(spark, "BACKFILL changes (l)", 10);
    spark.sql("UPDATE changes SET x = x + 1000 WHERE id < 7");
    CountedBackfills.run(spark, "BACKFILL changes (p)", 7);
    spark.sql("DELETE FROM changes WHERE id >= 50 AND id < 60");
    CountedBackfills.run(spark, "BACKFILL changes (p)", 0);
    assertValues("changes", 100);
    CountedBackfills.run(spark, "BACKFILL changes (s, l)", 0);
  }

  @Test
  void aNullRecordOrAFailedRowMakesEverySiblingNull() {
    spark.sql("CREATE TABLE nulls (id INT, x INT, y INT)");
    spark.sql(
        "INSERT INTO nulls SELECT id, CASE WHEN id = 3 THEN -1 ELSE id END, 2"
            + " FROM range(0, 20) AS t(id)");
    spark.sql("ALTER TABLE nulls ADD COLUMNS (s, p, l) USING UDF '" + SHAPE + "'");
    Counting.failFrom = 15;
    CountedBackfills.run(
        spark, "BACKFILL nulls (s) OPTIONS (on_error = 'null', max_error_fraction = 1)", 20);
    Counting.failFrom = Integer.MAX_VALUE;
    for (Row r : spark.sql("SELECT id, s, p, l FROM nulls ORDER BY id").collectAsList()) {
      int id = r.getInt(0);
      if (id == 3 || id >= 15) {
        assertTrue(r.isNullAt(1) && r.isNullAt(2) && r.isNullAt(3), r.toString());
      } else {
        assertEquals(2L * id, r.getLong(2), r.toString());
      }
    }
    for (Row r : shown("nulls")) {
      assertEquals(5L, (long) r.getAs("rows_failed"), r.toString());
    }
    CountedBackfills.run(spark, "BACKFILL nulls (p)", 5); // the failed rows, once for the group
  }

  @Test
  void setUdfOnAnySiblingRecomputesTheGroupAndDropTakesTheWholeGroup() {
    table("versions", 30);
    CountedBackfills.run(spark, "BACKFILL versions (s)", 30);
    spark.sql("ALTER TABLE versions ALTER COLUMN l SET UDF '" + SHAPE_V2 + "'");
    for (Row r : shown("versions")) {
      assertEquals(30L, (long) r.getAs("rows_version_changed"), r.toString());
      assertEquals(SHAPE_V2, r.getAs("udf_class"));
    }
    CountedBackfills.run(spark, "BACKFILL versions (p)", 30);
    for (Row r : spark.sql("SELECT x, y, p FROM versions").collectAsList()) {
      assertEquals(2L * r.getInt(0) * r.getInt(1), r.getLong(2));
    }

    long version = tableVersion("versions");
    Exception partial =
        assertThrows(Exception.class, () -> spark.sql("ALTER TABLE versions DROP COLUMN p"));
    assertTrue(partial.getMessage().contains("sibling columns"), partial.getMessage());
    assertTrue(partial.getMessage().contains("DROP COLUMNS (s, p, l)"), partial.getMessage());
    assertEquals(version, tableVersion("versions"));
    spark.sql("ALTER TABLE versions DROP COLUMNS (s, p, l)");
    assertEquals(0, shown("versions").size());
    assertEquals(List.of("id", "x", "y"), List.of(spark.table("versions").schema().fieldNames()));
  }

  @Test
  void aUdfWhoseOutputIsNotARecordOfAsManyFieldsIsRefusedAndTheTableIsUnchanged() {
    spark.sql("CREATE TABLE refused (id INT, x INT, y INT)");
    spark.sql("INSERT INTO refused VALUES (1, 2, 3)");
    long version = tableVersion("refused");
    Exception scalar =
        assertThrows(
            Exception.class,
            () -> spark.sql("ALTER TABLE refused ADD COLUMNS (a, b) USING UDF '" + AREA + "'"));
    assertTrue(scalar.getMessage().contains("LANCET_INVALID_TYPE"), scalar.getMessage());
    assertTrue(scalar.getMessage().contains("sibling columns (a, b)"), scalar.getMessage());
    Exception fewer =
        assertThrows(
            Exception.class,
            () -> spark.sql("ALTER TABLE refused ADD COLUMNS (a, b) USING UDF '" + SHAPE + "'"));
    assertTrue(fewer.getMessage().contains("of 2 fields"), fewer.getMessage());
    Exception taken =
        assertThrows(
            Exception.class,
            () -> spark.sql("ALTER TABLE refused ADD COLUMNS (a, x, c) USING UDF '" + SHAPE + "'"));
    assertTrue(taken.getMessage().contains("'x' already exists"), taken.getMessage());
    assertEquals(version, tableVersion("refused"));
    assertEquals(List.of("id", "x", "y"), List.of(spark.table("refused").schema().fieldNames()));
  }

  @Test
  void aFragmentSplitIntoRangesAndResumedAfterAFailureHoldsEverySiblingRight() {
    spark.sql("CREATE TABLE ranged (id INT, x INT, y INT)");
    spark.sql("INSERT INTO ranged SELECT id, id, 2 FROM range(0, 3000, 1, 1) AS t(id)");
    spark.sql("ALTER TABLE ranged ADD COLUMNS (s, p, l) USING UDF '" + SHAPE + "'");
    Counting.failFrom = 2500;
    String run =
        "BACKFILL ranged (l) OPTIONS (task_size = 500, concurrency = 1, batch_size = 100,"
            + " checkpoint_interval = 0)";
    assertThrows(Exception.class, () -> spark.sql(run));
    long firstCalls = Counting.CALLS.get();
    Counting.failFrom = Integer.MAX_VALUE;
    Counting.CALLS.set(0);
    Row resumed = spark.sql(run).first();
    // The ranges finished before the failure are not computed again.
    assertTrue(Counting.CALLS.get() <= 3000 - 2000, "resumed calls " + Counting.CALLS.get());
    assertTrue(firstCalls >= 2000, "first calls " + firstCalls);
    assertTrue(resumed.getLong(resumed.fieldIndex("rows_computed")) <= 1000, resumed.toString());
    assertValues("ranged", 3000);
    CountedBackfills.run(spark, "BACKFILL ranged (s, p)", 0);
  }

  @Test
  void aBatchedUdfReturningAStructVectorFillsSiblingsAndExplainAndLimitTakeAnySibling() {
    spark.sql("CREATE TABLE batched (id INT, x INT)");
    spark.sql(
        "INSERT INTO batched SELECT id, CASE WHEN id = 5 THEN NULL ELSE id END"
            + " FROM range(0, 40) AS t(id)");
    spark.sql(
        "ALTER TABLE batched ADD COLUMNS (nxt, parity) USING UDF"
            + " 'dev.lancet.testing.udfs.Counting$NextAndParity'");
    assertEquals("int", spark.table("batched").schema().apply("nxt").dataType().simpleString());
    Row plan = spark.sql("EXPLAIN BACKFILL batched (parity)").first();
    assertEquals(40L, plan.getLong(plan.fieldIndex("rows_to_compute")));
    CountedBackfills.run(spark, "BACKFILL batched (parity) LIMIT 10", 10);
    CountedBackfills.run(spark, "BACKFILL batched (nxt)", 30);
    for (Row r : spark.sql("SELECT id, x, nxt, parity FROM batched").collectAsList()) {
      if (r.isNullAt(1)) {
        assertTrue(r.isNullAt(2) && r.isNullAt(3), r.toString());
      } else {
        assertEquals(r.getInt(1) + 1, r.getInt(2), r.toString());
        assertEquals(r.getInt(1) % 2 == 0 ? "even" : "odd", r.getString(3), r.toString());
      }
    }
  }

  @Test
  void theGroupIsComputedOnSparkExecutorsToo() {
    table("executors", 50);
    CountedBackfills.run(spark, "BACKFILL executors (l) OPTIONS (engine = 'spark')", 50);
    assertValues("executors", 50);
    CountedBackfills.run(spark, "BACKFILL executors (s) OPTIONS (engine = 'spark')", 0);
    Row one = spark.sql("SELECT s, p, l FROM executors WHERE id = 7").first();
    assertEquals(9L, one.getLong(0));
    assertEquals(14L, one.getLong(1));
    assertEquals("7x2", one.getString(2));
  }
}
