package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.CountedBackfills;
import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.testing.ExternalJars;
import dev.lancet.testing.udfs.Counting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One definition of the counts, used everywhere: a row is current when its value was computed by
 * the UDF version a backfill would run now from the inputs it has now (a null result is a computed
 * value); SHOW VIRTUAL COLUMNS and DESCRIBE count exactly the rows BACKFILL would skip, and
 * rows_skipped is the rows in the run's scope that were current already.
 */
class FreshnessSqlTest extends SparkSqlTest {
  private static final String EVEN = "dev.lancet.testing.udfs.Counting$EvenArea";
  private static final String AREA = "dev.lancet.testing.udfs.Counting$Area";

  @BeforeEach
  void reset() {
    Counting.CALLS.set(0);
    Counting.failFrom = Integer.MAX_VALUE;
  }

  private static Row shown(String table) {
    return spark.sql("SHOW VIRTUAL COLUMNS IN " + table).first();
  }

  private static void table(String name, String udf) {
    spark.sql("CREATE TABLE " + name + " (id INT, x INT, y INT)");
    spark.sql("INSERT INTO " + name + " SELECT id, id, 2 FROM range(0, 100) AS t(id)");
    spark.sql("ALTER TABLE " + name + " ADD COLUMN area USING UDF '" + udf + "'");
  }

  @Test
  void aNullResultIsAComputedValueInShowAndDescribeAsInBackfill() {
    table("nulls", EVEN);
    assertEquals(0L, (long) shown("nulls").getAs("rows_current"));
    CountedBackfills.run(spark, "BACKFILL nulls (area)", 100);
    Row r = shown("nulls");
    assertEquals(100L, (long) r.getAs("rows_current"));
    assertEquals(1.0, (double) r.getAs("materialized"), 1e-9);
    CountedBackfills.run(spark, "BACKFILL nulls (area)", 0);
    String area =
        spark.sql("DESCRIBE TABLE nulls").collectAsList().stream()
            .filter(d -> d.getString(0).equals("area"))
            .findFirst()
            .orElseThrow()
            .getString(2);
    assertTrue(area.endsWith("100% current (100 of 100 rows)"), area);
  }

  @Test
  void staleRowsAreNeverShownAsCurrentAfterAnUpdateOrANewDefinition() {
    table("stale", AREA);
    CountedBackfills.run(spark, "BACKFILL stale (area)", 100);
    spark.sql("UPDATE stale SET x = x + 1 WHERE id < 7");
    assertEquals(93L, (long) shown("stale").getAs("rows_current"));
    CountedBackfills.run(spark, "BACKFILL stale (area)", 7);
    assertEquals(100L, (long) shown("stale").getAs("rows_current"));
    String before = shown("stale").getAs("version");
    spark.sql("ALTER TABLE stale ALTER COLUMN area SET UDF '" + AREA + "' OPTIONS (note = 'v2')");
    Row after = shown("stale");
    assertNotEquals(before, after.getAs("version"));
    assertEquals(0L, (long) after.getAs("rows_current"));
    assertEquals(0.0, (double) after.getAs("materialized"), 1e-9);
  }

  /** rows_current, rows_input_changed, rows_version_changed, rows_failed, rows_never_computed. */
  private static List<Long> states(String table) {
    Row r = shown(table);
    return List.of(
        r.<Long>getAs("rows_current"),
        r.<Long>getAs("rows_input_changed"),
        r.<Long>getAs("rows_version_changed"),
        r.<Long>getAs("rows_failed"),
        r.<Long>getAs("rows_never_computed"));
  }

  @Test
  void everyRowIsCountedByWhyItIsStaleAndTheNextBackfillComputesExactlyTheStaleOnes() {
    table("reasons", AREA);
    assertEquals(List.of(0L, 0L, 0L, 0L, 100L), states("reasons"));
    CountedBackfills.run(spark, "BACKFILL reasons (area) WHERE id < 40", 40);
    assertEquals(List.of(40L, 0L, 0L, 0L, 60L), states("reasons"));
    Counting.failFrom = 90;
    CountedBackfills.run(
        spark,
        "BACKFILL reasons (area) WHERE id < 95"
            + " OPTIONS (on_error = 'null', max_error_fraction = 1)",
        55);
    Counting.failFrom = Integer.MAX_VALUE;
    assertEquals(List.of(90L, 0L, 0L, 5L, 5L), states("reasons"));

    spark.sql("UPDATE reasons SET x = x + 1 WHERE id < 7"); // an input of 7 rows
    spark.sql("UPDATE reasons SET y = 2 WHERE id >= 20 AND id < 23"); // the same values
    spark.sql("INSERT INTO reasons SELECT id, id, 2 FROM range(100, 110) AS t(id)");
    spark.sql("DELETE FROM reasons WHERE id = 50 OR id = 95"); // one current, one never computed
    // 7 updated; 83 current but id 50; 90..94 failed; 96..99 and 100..109 never computed.
    assertEquals(List.of(82L, 7L, 0L, 5L, 14L), states("reasons"));
    // A run that leaves them out records what the history says of the updated rows' new file.
    CountedBackfills.run(spark, "BACKFILL reasons (area) WHERE id >= 100", 10);
    assertEquals(List.of(92L, 7L, 0L, 5L, 4L), states("reasons"));
    CountedBackfills.run(spark, "BACKFILL reasons (area)", 7 + 5 + 4);
    assertEquals(List.of(108L, 0L, 0L, 0L, 0L), states("reasons"));

    spark.sql("ALTER TABLE reasons ALTER COLUMN area SET UDF '" + AREA + "' OPTIONS (note = 'v2')");
    assertEquals(List.of(0L, 0L, 108L, 0L, 0L), states("reasons"));
    CountedBackfills.run(spark, "BACKFILL reasons (area) WHERE id < 10", 10);
    assertEquals(List.of(10L, 0L, 98L, 0L, 0L), states("reasons"));
    CountedBackfills.run(spark, "BACKFILL reasons (area)", 98);
    assertEquals(List.of(108L, 0L, 0L, 0L, 0L), states("reasons"));
  }

  @Test
  void rowsSkippedIsTheRowsInScopeThatWereCurrentAlready() {
    table("scoped", AREA);
    // Fragments only partly current under a filter, whole fragments current under another.
    Row first = CountedBackfills.run(spark, "BACKFILL scoped (area) WHERE id % 4 = 0", 25);
    assertEquals(0L, first.getLong(first.fieldIndex("rows_skipped")));
    for (int run = 0; run < 2; run++) {
      Row again = CountedBackfills.run(spark, "BACKFILL scoped (area) WHERE id % 4 = 0", 0);
      assertEquals(25L, again.getLong(again.fieldIndex("rows_skipped")), "run " + run);
    }
    Row wider = CountedBackfills.run(spark, "BACKFILL scoped (area) WHERE id % 2 = 0", 25);
    assertEquals(25L, wider.getLong(wider.fieldIndex("rows_skipped")));
    Row all = CountedBackfills.run(spark, "BACKFILL scoped (area)", 50);
    assertEquals(50L, all.getLong(all.fieldIndex("rows_skipped")));
    Row none = CountedBackfills.run(spark, "BACKFILL scoped (area) WHERE id < 10", 0);
    assertEquals(10L, none.getLong(none.fieldIndex("rows_skipped")));
  }

  @Test
  void aRebuiltJarInTheSessionChangesNothingUntilSetUdfPinsItAgain(@TempDir Path dir)
      throws Exception {
    String udf =
        "package com.acme.fresh; public class Twice { public long call(int x) { return 2L * x; } }";
    String helper = "package com.acme.fresh; public class Unrelated { }";
    Path jar = dir.resolve("fresh.jar");
    ExternalJars.compile(jar, Map.of("com.acme.fresh.Twice", udf));
    spark.sql("ADD JAR '" + jar + "'");
    spark.sql("CREATE TABLE rebuilt (id INT, x INT)");
    spark.sql("INSERT INTO rebuilt VALUES (1, 2), (2, 3)");
    spark.sql("ALTER TABLE rebuilt ADD COLUMN twice USING UDF 'com.acme.fresh.Twice'");
    spark.sql("BACKFILL rebuilt (twice)");
    Row before = shown("rebuilt");
    assertEquals(2L, (long) before.getAs("rows_current"));
    String pinned = before.getAs("code");
    assertTrue(
        pinned.matches(
            "class [0-9a-f]{12}, jar sha256:[0-9a-f]{12}; pinned: .*fresh\\.jar"
                + " \\(sha256:[0-9a-f]{12}\\).*"),
        pinned);

    // The same class, and a class it never uses, in a jar put in place of the first: the column
    // runs its pinned code, whatever the session holds.
    Path next =
        ExternalJars.compile(
            dir.resolve("next.jar"),
            Map.of("com.acme.fresh.Twice", udf, "com.acme.fresh.Unrelated", helper));
    Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Row after = shown("rebuilt");
    assertEquals(before.<String>getAs("version"), after.getAs("version"));
    assertEquals(pinned, after.<String>getAs("code"));
    Row again = spark.sql("BACKFILL rebuilt (twice)").first();
    assertEquals(0L, again.getLong(again.fieldIndex("rows_computed")), "nothing to compute");

    // Pinning again is explicit: SET UDF takes the session's jars; a new version, recomputed.
    spark.sql("ALTER TABLE rebuilt ALTER COLUMN twice SET UDF 'com.acme.fresh.Twice'");
    Row repinned = shown("rebuilt");
    assertNotEquals(before.<String>getAs("version"), repinned.getAs("version"));
    assertEquals(0L, (long) repinned.getAs("rows_current"), "a backfill would compute every row");
    Row r = spark.sql("BACKFILL rebuilt (twice)").first();
    assertEquals(2L, r.getLong(r.fieldIndex("rows_computed")));
    assertEquals(2L, (long) shown("rebuilt").getAs("rows_current"));
  }
}
