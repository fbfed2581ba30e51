package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.SparkSqlTest;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Struct columns read through Lancet's catalog at real sizes: many batches per fragment
 * (lance-spark 0.4.0 let Spark close the reader's struct vector after the first batch), nested
 * fields of a pruned struct (it read the wrong child), and virtual struct rows not computed yet
 * reading NULL.
 */
class StructReadSqlTest extends SparkSqlTest {
  private static final String PROFILE = "dev.lancet.testing.udfs.RichTypes$MakeProfile";

  @Test
  void aMillionRowStructColumnReadsInEveryBatchWithItsFieldsAndFilters() {
    spark.sql("CREATE TABLE structs (id INT, s STRUCT<a: INT, b: STRING>)");
    spark.sql(
        "INSERT INTO structs SELECT id, named_struct('a', id, 'b', concat('b', id))"
            + " FROM range(0, 1000000) AS t(id)");
    Row counts = spark.sql("SELECT count(*), count(s), count(s.a), sum(s.a) FROM structs").first();
    assertEquals(1_000_000L, counts.getLong(0));
    assertEquals(1_000_000L, counts.getLong(1));
    assertEquals(1_000_000L, counts.getLong(2));
    assertEquals(499_999_500_000L, counts.getLong(3));
    // A nested field alone: the pruned struct must still be read by its own field, not by position.
    assertEquals(
        111_111L,
        spark.sql("SELECT count(*) FROM structs WHERE s.b LIKE 'b1%'").first().getLong(0));
    Row one = spark.sql("SELECT s.b, s.a FROM structs WHERE id = 765432").first();
    assertEquals("b765432", one.getString(0));
    assertEquals(765432, one.getInt(1));
    // The scan behind an UPDATE reads the struct too.
    spark.sql("UPDATE structs SET id = -id WHERE s.a < 3");
    assertEquals(
        List.of(-2, -1, 0),
        spark.sql("SELECT id FROM structs WHERE id <= 0 ORDER BY id").collectAsList().stream()
            .map(r -> r.getInt(0))
            .toList());
  }

  @Test
  void virtualStructRowsNotComputedReadNullAndComputedOnesTheirValue() {
    spark.sql("CREATE TABLE profiles (id INT, name STRING, x INT)");
    spark.sql("INSERT INTO profiles SELECT id, concat('n', id), id FROM range(0, 50000) AS t(id)");
    spark.sql("ALTER TABLE profiles ADD COLUMN profile USING UDF '" + PROFILE + "'");
    Row before =
        spark.sql("SELECT count(*), count(profile), count(profile.name) FROM profiles").first();
    assertEquals(50_000L, before.getLong(0));
    assertEquals(0L, before.getLong(1));
    assertEquals(0L, before.getLong(2));
    spark.sql("BACKFILL profiles (profile) WHERE x < 10");
    Row after = spark.sql("SELECT count(profile), count(profile.size) FROM profiles").first();
    assertEquals(10L, after.getLong(0));
    assertEquals(10L, after.getLong(1));
    assertTrue(
        spark.sql("SELECT profile IS NULL FROM profiles WHERE id = 11").first().getBoolean(0));
    Row computed =
        spark.sql("SELECT profile.name, profile.size FROM profiles WHERE id = 3").first();
    assertEquals("n3", computed.getString(0));
    assertEquals(3, computed.getInt(1));
  }
}
