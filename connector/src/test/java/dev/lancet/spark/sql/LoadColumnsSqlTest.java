package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.testing.SparkSqlTest;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Columns computed elsewhere, loaded by key: one file per fragment through the backfill engine,
 * nulls where the source has no row, nothing again for the same source, every row for a changed
 * one.
 */
class LoadColumnsSqlTest extends SparkSqlTest {
  @TempDir Path dir;

  private static long computed(Row r) {
    return r.getLong(r.fieldIndex("rows_computed"));
  }

  /** Loads feats' emb and label into items; the rows it computed. */
  private static long loadItems() {
    return computed(
        spark.sql("ALTER TABLE items LOAD COLUMNS (emb, label) FROM feats KEY (id)").first());
  }

  /** Rows of the target whose loaded values differ from the source's (null where none). */
  private static long wrong(String target, String source) {
    return spark
        .sql(
            "SELECT count(*) FROM "
                + target
                + " t LEFT JOIN "
                + source
                + " s ON t.id = s.id WHERE NOT (t.emb <=> s.emb) OR NOT (t.label <=> s.label)")
        .first()
        .getLong(0);
  }

  @Test
  void columnsLoadByKeyAndTheSameSourceAgainLoadsOnlyNewRows() {
    spark.sql("CREATE TABLE items (id BIGINT, x INT)");
    spark.sql("INSERT INTO items SELECT id, CAST(id AS INT) FROM range(0, 100)");
    spark.sql("CREATE TABLE feats (id BIGINT, emb ARRAY<FLOAT>, label STRING)");
    spark.sql(
        "INSERT INTO feats SELECT id, array(CAST(id AS FLOAT), 1.5), concat('l', id)"
            + " FROM range(20, 105)"); // ids 100..104 match nothing yet; 0..19 have no features
    long before = tableVersion("items");
    long first = loadItems();
    assertEquals(100L, first);
    assertEquals(before + 2, tableVersion("items")); // the columns added, then their data
    assertEquals(0L, wrong("items", "feats"));
    assertEquals(
        20L, spark.sql("SELECT count(*) FROM items WHERE label IS NULL").first().getLong(0));

    long loaded = tableVersion("items");
    long again = loadItems();
    assertEquals(0L, again);
    assertEquals(loaded, tableVersion("items"));

    spark.sql("INSERT INTO items (id, x) SELECT id, CAST(id AS INT) FROM range(100, 105)");
    assertEquals(5L, loadItems());
    assertEquals(0L, wrong("items", "feats"));

    spark.sql("UPDATE feats SET label = 'changed' WHERE id < 30");
    assertEquals(105L, loadItems());
    assertEquals(0L, wrong("items", "feats"));
    // The first source's staged copy went once the changed one was loaded.
    String uri = TableNameResolver.resolve(spark, List.of("items")).datasetUri();
    java.nio.file.Path table =
        uri.startsWith("file:")
            ? java.nio.file.Path.of(java.net.URI.create(uri))
            : java.nio.file.Path.of(uri);
    java.io.File[] staged = table.resolve("_lancet/loads").toFile().listFiles();
    assertEquals(1, staged.length, java.util.Arrays.toString(staged));

    Exception backfill = assertThrows(Exception.class, () -> spark.sql("BACKFILL items (label)"));
    assertTrue(backfill.getMessage().contains("loaded by key"), backfill.getMessage());
  }

  @Test
  void aKeyTheTableHoldsTwiceGetsTheSameValuesAndRowsInAnyOrderLoadRight() {
    spark.sql("CREATE TABLE twice (id BIGINT, x INT)");
    // One fragment whose keys are out of the source's order, one repeated, one unknown.
    spark.sql("INSERT INTO twice VALUES (30, 1), (10, 2), (30, 3), (20, 4), (50, 5)");
    // A fragment whose every key matches, in reverse order.
    spark.sql("INSERT INTO twice VALUES (40, 6), (20, 7), (10, 8)");
    spark.sql("CREATE TABLE twice_feats (id BIGINT, emb ARRAY<FLOAT>, label STRING)");
    spark.sql(
        "INSERT INTO twice_feats SELECT id, array(CAST(id AS FLOAT), -1.0), concat('l', id)"
            + " FROM range(10, 41, 10)");
    Row r =
        spark.sql("ALTER TABLE twice LOAD COLUMNS (emb, label) FROM twice_feats KEY (id)").first();
    assertEquals(8L, computed(r));
    assertEquals(0L, wrong("twice", "twice_feats"));
    assertEquals(
        List.of(
            "1:30:[30.0, -1.0]:l30",
            "2:10:[10.0, -1.0]:l10",
            "3:30:[30.0, -1.0]:l30",
            "4:20:[20.0, -1.0]:l20",
            "5:50:null:null",
            "6:40:[40.0, -1.0]:l40",
            "7:20:[20.0, -1.0]:l20",
            "8:10:[10.0, -1.0]:l10"),
        spark.sql("SELECT x, id, emb, label FROM twice ORDER BY x").collectAsList().stream()
            .map(
                row ->
                    row.get(0)
                        + ":"
                        + row.get(1)
                        + ":"
                        + (row.isNullAt(2) ? "null" : row.getList(2).toString())
                        + ":"
                        + row.get(3))
            .toList());
  }

  @Test
  void stringKeysAndIntegerKeysOfAnotherWidthMatchByValue() {
    spark.sql("CREATE TABLE named (name STRING, n INT)");
    spark.sql("INSERT INTO named VALUES ('b', 1), ('a', 2), ('zz', 3), (NULL, 4)");
    spark.sql("CREATE TABLE named_feats (name STRING, score DOUBLE)");
    spark.sql("INSERT INTO named_feats VALUES ('a', 0.5), ('b', 1.5), ('c', 2.5)");
    Row r = spark.sql("ALTER TABLE named LOAD COLUMNS (score) FROM named_feats KEY (name)").first();
    assertEquals(4L, computed(r));
    assertEquals(
        List.of("1:1.5", "2:0.5", "3:null", "4:null"),
        spark.sql("SELECT n, score FROM named ORDER BY n").collectAsList().stream()
            .map(row -> row.get(0) + ":" + row.get(1))
            .toList());

    // The table's key an INT, the source's a BIGINT: they match by value.
    spark.sql("CREATE TABLE narrow_keys (id INT, x INT)");
    spark.sql("INSERT INTO narrow_keys VALUES (7, 1), (8, 2), (9, 3)");
    spark.sql("CREATE TABLE wide_keys (id BIGINT, score DOUBLE)");
    spark.sql("INSERT INTO wide_keys VALUES (7, 70.0), (9, 90.0), (5000000000, 1.0)");
    spark.sql("ALTER TABLE narrow_keys LOAD COLUMNS (score) FROM wide_keys KEY (id)");
    assertEquals(
        List.of("1:70.0", "2:null", "3:90.0"),
        spark.sql("SELECT x, score FROM narrow_keys ORDER BY x").collectAsList().stream()
            .map(row -> row.get(0) + ":" + row.get(1))
            .toList());
  }

  @Test
  void aParquetFileLoadsAndADuplicateKeyIsRefusedWithTheTableUnchanged() {
    spark.sql("CREATE TABLE scored (id BIGINT, x INT)");
    spark.sql("INSERT INTO scored SELECT id, 1 FROM range(0, 10)");
    String path = dir.resolve("scores.parquet").toString();
    spark
        .sql("SELECT id, CAST(id * 0.5 AS DOUBLE) AS score FROM range(0, 10)")
        .write()
        .parquet(path);
    Row r =
        spark
            .sql(
                "ALTER TABLE scored LOAD COLUMNS (score) FROM '"
                    + path
                    + "' KEY (id) OPTIONS (engine = 'spark', batch_size = 4)")
            .first();
    assertEquals(10L, computed(r));
    assertEquals(
        List.of(0.0, 0.5, 4.5),
        spark
            .sql("SELECT score FROM scored WHERE id IN (0, 1, 9) ORDER BY id")
            .collectAsList()
            .stream()
            .map(x -> x.getDouble(0))
            .toList());

    String dup = dir.resolve("dup.parquet").toString();
    spark.sql("SELECT id % 5 AS id, 1.0 AS other FROM range(0, 10)").write().parquet(dup);
    long version = tableVersion("scored");
    Exception e =
        assertThrows(
            Exception.class,
            () -> spark.sql("ALTER TABLE scored LOAD COLUMNS (other) FROM '" + dup + "' KEY (id)"));
    assertTrue(e.getMessage().contains("must be unique"), e.getMessage());
    assertEquals(version, tableVersion("scored"));
  }
}
