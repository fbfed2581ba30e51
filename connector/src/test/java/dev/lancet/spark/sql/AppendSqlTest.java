package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.testing.SparkSqlTest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.lance.Dataset;
import org.lance.fragment.DataFile;
import org.lance.schema.LanceField;

/**
 * Rows appended to a table with virtual columns using the table's original columns, from every way
 * Spark appends: their virtual columns read null, and their files do not carry them.
 */
class AppendSqlTest extends SparkSqlTest {
  private static final String AREA = "dev.lancet.testing.udfs.Area";

  private static void shapes(String name) {
    spark.sql("CREATE TABLE " + name + " (id INT, x INT, y INT, name STRING)");
    spark.sql("INSERT INTO " + name + " VALUES (1, 2, 3, 'a')");
    spark.sql("ALTER TABLE " + name + " ADD COLUMN area USING UDF '" + AREA + "'");
  }

  private static String rows(String table) {
    return spark.sql("SELECT id, area FROM " + table + " ORDER BY id").collectAsList().stream()
        .map(r -> r.get(0) + "=" + r.get(1))
        .collect(Collectors.joining(","));
  }

  /** Field ids held by each fragment's data files, by fragment. */
  private static List<Set<Integer>> fragmentFields(String table) {
    String uri = TableNameResolver.resolve(spark, Arrays.asList(table.split("\\."))).datasetUri();
    try (RootAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      return ds.getFragments().stream()
          .map(
              f -> {
                Set<Integer> ids = new HashSet<>();
                for (DataFile d : f.metadata().getFiles()) {
                  Arrays.stream(d.getFields()).forEach(ids::add);
                }
                return ids;
              })
          .toList();
    }
  }

  private static int fieldId(String table, String column) {
    String uri = TableNameResolver.resolve(spark, Arrays.asList(table.split("\\."))).datasetUri();
    try (RootAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      return ds.getLanceSchema().fields().stream()
          .filter(f -> f.getName().equals(column))
          .findFirst()
          .map(LanceField::getId)
          .orElseThrow();
    }
  }

  @Test
  void aPositionalInsertOfTheOriginalColumnsLeavesVirtualColumnsNullAndOutOfTheNewFiles() {
    shapes("positional");
    spark.sql("INSERT INTO positional VALUES (2, 3, 4, 'b'), (3, 4, 5, 'c')");

    assertEquals("1=null,2=null,3=null", rows("positional"));
    int area = fieldId("positional", "area");
    List<Set<Integer>> fields = fragmentFields("positional");
    assertTrue(fields.size() >= 2);
    fields.forEach(
        f ->
            assertFalse(
                f.contains(area), "an appended file without the virtual column: " + fields));

    spark.sql("BACKFILL positional (area)");
    assertEquals("1=6,2=12,3=20", rows("positional"));
    // Each fragment got a column file of its own: the appended file was not rewritten.
    fragmentFields("positional").forEach(f -> assertTrue(f.contains(area)));
  }

  @Test
  void insertsWithAColumnListOrASelectAndDataFrameAppendsTakeTheOriginalColumns() throws Exception {
    shapes("byname");
    spark.sql("INSERT INTO byname (name, y, x, id) VALUES ('b', 4, 3, 2)");
    spark.sql("INSERT INTO byname SELECT 3, 4, 5, 'c'");
    spark.sql(
        "INSERT INTO byname (id, x, y, name) SELECT id + 10, x, y, name FROM byname WHERE id = 1");
    spark.sql("SELECT 4 AS id, 5 AS x, 6 AS y, 'd' AS name").writeTo("byname").append();
    spark.sql("SELECT 5 AS id, 6 AS x, 7 AS y, 'e' AS name").write().insertInto("byname");
    spark
        .sql("SELECT 'f' AS name, 6 AS id, 7 AS x, 8 AS y")
        .writeTo("lancet.default.byname")
        .append();

    assertEquals("1=null,2=null,3=null,4=null,5=null,6=null,11=null", rows("byname"));
    assertEquals(
        "3,4",
        spark.sql("SELECT x, y FROM byname WHERE id = 2").collectAsList().stream()
            .map(r -> r.get(0) + "," + r.get(1))
            .findFirst()
            .orElseThrow(),
        "by name, not by position");
    Row result = spark.sql("BACKFILL byname (area)").first();
    assertEquals(7L, result.getLong(result.fieldIndex("rows_computed")));
    assertEquals("1=6,2=12,3=20,4=30,5=42,6=56,11=6", rows("byname"));
  }

  @Test
  void valuesForTheVirtualColumnsMayStillBeGiven() {
    shapes("explicit");
    spark.sql("INSERT INTO explicit VALUES (2, 3, 4, 'b', 99)");
    spark.sql("INSERT INTO explicit (id, x, y, name, area) VALUES (3, 4, 5, 'c', NULL)");
    assertEquals("1=null,2=99,3=null", rows("explicit"));

    spark.sql("BACKFILL explicit (area)");
    assertEquals(
        "1=6,2=12,3=20",
        rows("explicit"),
        "values Lancet did not compute are computed by the next backfill");
  }

  @Test
  void aWrongInsertFailsNamingTheTableAsWrittenAndItsOriginalColumns() {
    shapes("wrong");
    AnalysisException e =
        assertThrows(AnalysisException.class, () -> spark.sql("INSERT INTO wrong VALUES (2, 3)"));
    assertTrue(e.getMessage().contains("`lancet`.`default`.`wrong`"), e.getMessage());
    assertFalse(e.getMessage().contains("$"), "not the internal folder: " + e.getMessage());
    assertTrue(
        e.getMessage().contains("`id`, `x`, `y`, `name`") && !e.getMessage().contains("`area`"),
        e.getMessage());
  }

  @Test
  void everyTypeOfTheTypeTableAppendsAndBackfills() throws Exception {
    spark.sql("CREATE TABLE typed (id INT, x INT, y INT, name STRING)");
    spark.sql("INSERT INTO typed VALUES (1, 2, 3, 'a-b')");
    String udfs = "dev.lancet.testing.udfs.RichTypes$";
    spark.sql(
        "ALTER TABLE typed ADD COLUMNS"
            + " area USING UDF '"
            + AREA
            + "',"
            + " words USING UDF '"
            + udfs
            + "Words',"
            + " floats array<float> USING UDF 'dev.lancet.testing.udfs.Floats',"
            + " vec USING UDF '"
            + udfs
            + "Vec',"
            + " price USING UDF '"
            + udfs
            + "Price',"
            + " day USING UDF '"
            + udfs
            + "Day',"
            + " stamp USING UDF '"
            + udfs
            + "Stamp',"
            + " profile USING UDF '"
            + udfs
            + "MakeProfile'");
    spark.sql("INSERT INTO typed VALUES (2, 3, 4, 'c-d')");
    spark.sql("SELECT 3 AS id, 4 AS x, 5 AS y, 'e-f' AS name").writeTo("typed").append();

    spark.sql("BACKFILL typed (area, words, floats, vec, price, day, stamp, profile)");

    List<Row> rows =
        spark
            .sql(
                "SELECT id, area, words, floats, vec, price, day, stamp, profile.name FROM typed"
                    + " ORDER BY id")
            .collectAsList();
    assertEquals(3, rows.size());
    for (Row r : rows) {
      for (int i = 1; i < r.size(); i++) {
        assertNotNull(r.get(i), "column " + i + " of id " + r.get(0));
      }
    }
    assertEquals(List.of("c", "d"), rows.get(1).getList(2));
    assertEquals(List.of(3.0f, 4.0f), rows.get(1).getList(3));
    assertEquals(List.of(3.0f, 4.0f, 12.0f), rows.get(1).getList(4));
    assertEquals("e-f", rows.get(2).getString(8));
  }
}
