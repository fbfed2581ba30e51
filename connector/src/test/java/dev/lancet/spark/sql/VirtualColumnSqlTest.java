package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.udf.UdfSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtualColumnSqlTest extends SparkSqlTest {
  private static final String AREA = "dev.lancet.testing.udfs.Area";

  /** A videos table written by three INSERTs (three fragments), with one row deleted. */
  private static void createVideos(String name) {
    spark.sql(
        "CREATE TABLE "
            + name
            + " (filename STRING, duration_sec FLOAT, x INT, y INT, caption STRING)");
    spark.sql(
        "INSERT INTO " + name + " VALUES ('a.mp4', 1.0, 2, 3, 'one'), ('b.mp4', 2.0, 4, 5, 'two')");
    spark.sql(
        "INSERT INTO "
            + name
            + " VALUES ('c.mp4', 3.0, 6, 7, 'three'), ('d.mp4', 4.0, 8, 9, 'four')");
    spark.sql("INSERT INTO " + name + " VALUES ('e.mp4', 5.0, 10, 11, 'five')");
    spark.sql("DELETE FROM " + name + " WHERE filename = 'c.mp4'");
  }

  private static String areas(String table) {
    return spark
        .sql("SELECT filename, area FROM " + table + " ORDER BY filename")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0) + "=" + (r.isNullAt(1) ? "null" : r.getLong(1)))
        .collect(Collectors.joining(","));
  }

  private static ResolvedLanceTable ref(String table) {
    return TableNameResolver.resolve(spark, Arrays.asList(table.split("\\.")));
  }

  @Test
  void addColumnThenBackfillComputesEveryLiveRow() {
    createVideos("videos");
    spark.sql("ALTER TABLE videos ADD COLUMN area USING UDF '" + AREA + "'");
    assertEquals("a.mp4=null,b.mp4=null,d.mp4=null,e.mp4=null", areas("videos"));

    List<Row> result = spark.sql("BACKFILL videos (area)").collectAsList();

    assertEquals("a.mp4=6,b.mp4=20,d.mp4=72,e.mp4=110", areas("videos"));
    Row r = result.get(0);
    assertEquals("area", r.getString(0));
    assertEquals(4L, r.getLong(1), "rows computed");
    long liveFragments = spark.sql("SELECT count(DISTINCT _fragid) FROM videos").first().getLong(0);
    assertEquals(0L, r.getLong(r.fieldIndex("rows_failed")));
    assertEquals(liveFragments, r.getInt(r.fieldIndex("fragments_committed")));
    assertEquals(
        LanceTestReads.version(ref("videos").datasetUri()),
        r.getLong(r.fieldIndex("table_version")));
  }

  @Test
  void aTableInTheRootOfAFlatCatalogIsNamedByCatalogAndTableOnly() throws Exception {
    java.nio.file.Path root =
        java.nio.file.Files.createDirectories(session.warehouse().resolve("flat-root"));
    spark.conf().set("spark.sql.catalog.flat", "org.lance.spark.LanceNamespaceSparkCatalog");
    spark.conf().set("spark.sql.catalog.flat.impl", "dir");
    spark.conf().set("spark.sql.catalog.flat.root", root.toString());
    spark.conf().set("spark.sql.catalog.flat.manifest_enabled", "false");
    spark.sql("CREATE TABLE flat.shapes (id INT, x INT, y INT)");
    spark.sql("INSERT INTO flat.shapes VALUES (1, 2, 3), (2, 4, 5)");

    spark.sql("ALTER TABLE flat.shapes ADD COLUMN area USING UDF '" + AREA + "' BACKFILL");

    assertEquals(
        "6,20",
        spark.sql("SELECT area FROM flat.shapes ORDER BY id").collectAsList().stream()
            .map(r -> String.valueOf(r.getLong(0)))
            .collect(Collectors.joining(",")));
    assertTrue(
        java.nio.file.Files.isDirectory(root.resolve("shapes.lance")),
        "the table is <root>/shapes.lance");
  }

  @Test
  void virtualColumnCarriesItsDefinitionInSparkMetadata() {
    createVideos("described");
    spark.sql(
        "ALTER TABLE described ADD COLUMN area BIGINT USING UDF '"
            + AREA
            + "' OPTIONS ('note' = 'hi')");
    StructField field = spark.table("described").schema().apply("area");
    UdfSpec spec = UdfSpec.fromJson(field.metadata().getString(UdfSpec.METADATA_KEY));
    assertEquals(AREA, spec.className());
    assertEquals(List.of("x", "y"), spec.inputs());
    assertEquals("bigint", spec.outputType());
    assertEquals("hi", spec.options().get("note"));
  }

  @Test
  void addColumnWithBackfillComputesRightAwayThroughAQualifiedName() {
    createVideos("eager");
    List<Row> result =
        spark
            .sql(
                "ALTER TABLE lancet.default.eager ADD COLUMN area USING UDF '"
                    + AREA
                    + "' BACKFILL")
            .collectAsList();
    assertEquals(1, result.size());
    assertEquals("a.mp4=6,b.mp4=20,d.mp4=72,e.mp4=110", areas("lancet.default.eager"));
  }

  @Test
  void inputsMapParametersToDifferentlyNamedColumns() {
    spark.sql("CREATE TABLE boxes (w INT, h INT)");
    spark.sql("INSERT INTO boxes VALUES (2, 5), (3, 7)");
    spark.sql("ALTER TABLE boxes ADD COLUMN area USING UDF '" + AREA + "' INPUTS (w, h)");
    spark.sql("BACKFILL boxes (area)");
    List<Row> rows = spark.sql("SELECT w, area FROM boxes ORDER BY w").collectAsList();
    assertEquals(10L, rows.get(0).getLong(1));
    assertEquals(21L, rows.get(1).getLong(1));
  }

  @Test
  void rerunningABackfillComputesNothingAndGivesTheSameValues() {
    createVideos("again");
    spark.sql("ALTER TABLE again ADD COLUMN area USING UDF '" + AREA + "' BACKFILL");
    Row second = spark.sql("BACKFILL again (area)").first();
    assertEquals(0L, second.getLong(second.fieldIndex("rows_computed")));
    assertEquals(4L, second.getLong(second.fieldIndex("rows_skipped")));
    assertEquals("a.mp4=6,b.mp4=20,d.mp4=72,e.mp4=110", areas("again"));
  }

  @Test
  void backfillWhereComputesOnlyMatchingRowsInLanceFilterSyntax() {
    createVideos("filtered");
    spark.sql(
        "ALTER TABLE filtered ADD COLUMN area USING UDF '"
            + AREA
            + "' BACKFILL WHERE starts_with(filename, 'a')");
    assertEquals("a.mp4=6,b.mp4=null,d.mp4=null,e.mp4=null", areas("filtered"));
    Row r =
        spark
            .sql(
                "BACKFILL filtered (area) WHERE (starts_with(filename, 'b') or"
                    + " starts_with(filename, 'd')) and area is null OPTIONS (batch_size = 2)")
            .first();
    assertEquals(2L, r.getLong(r.fieldIndex("rows_computed")));
    assertEquals("a.mp4=6,b.mp4=20,d.mp4=72,e.mp4=null", areas("filtered"));
    assertFails("invalid filter 'nope = 1': ", "BACKFILL filtered (area) WHERE nope = 1");
  }

  @Test
  void alterColumnSetUdfMakesANewVersionThatTheNextBackfillRecomputes() {
    createVideos("altered");
    spark.sql("ALTER TABLE altered ADD COLUMN area USING UDF '" + AREA + "' BACKFILL");
    String before = spark.sql("SHOW VIRTUAL COLUMNS IN altered").first().getAs("version");

    spark.sql(
        "ALTER TABLE altered ALTER COLUMN area SET UDF '" + AREA + "' OPTIONS ('note' = 'v2')");

    Row column = spark.sql("SHOW VIRTUAL COLUMNS IN altered").first();
    assertTrue(!before.equals(column.getAs("version")), "a new version");
    assertEquals("note=v2", column.getAs("options"));
    Row r = spark.sql("BACKFILL altered (area)").first();
    assertEquals(4L, r.getLong(r.fieldIndex("rows_computed")), "recomputed under the new version");
    assertFails(
        "call(...) returns java.lang.Integer, which cannot produce the declared type bigint",
        "ALTER TABLE altered ALTER COLUMN area SET UDF 'dev.lancet.testing.udfs.NameLength' INPUTS"
            + " (filename)");
    assertFails(
        "column 'x' of lancet.default.altered is not a virtual column",
        "ALTER TABLE altered ALTER COLUMN x SET UDF '" + AREA + "'");
  }

  @Test
  void showVirtualColumnsGivesDefinitionsAndHowMuchIsComputed() {
    createVideos("shown");
    spark.sql("ALTER TABLE shown ADD COLUMN area USING UDF '" + AREA + "' OPTIONS ('k' = 'v')");
    spark.sql("BACKFILL shown (area) WHERE filename = 'a.mp4'");
    List<Row> rows = spark.sql("SHOW VIRTUAL COLUMNS IN shown").collectAsList();
    assertEquals(1, rows.size());
    Row r = rows.get(0);
    assertEquals("area", r.getAs("column"));
    assertEquals("bigint", r.getAs("type"));
    assertEquals(AREA, r.getAs("udf_class"));
    assertEquals("scalar", r.getAs("kind"));
    assertEquals("x, y", r.getAs("inputs"));
    assertEquals("k=v", r.getAs("options"));
    assertEquals(1L, (long) r.getAs("rows_current"));
    assertEquals(4L, (long) r.getAs("rows"));
    assertEquals(0.25, (double) r.getAs("materialized"), 1e-9);
  }

  @Test
  void describeShowsVirtualColumnsWithTheirDefinitionAndProgress() {
    createVideos("described2");
    spark.sql("ALTER TABLE described2 ADD COLUMN area USING UDF '" + AREA + "'");
    spark.sql("BACKFILL described2 (area) WHERE filename = 'a.mp4'");
    Map<String, Row> byName = new java.util.HashMap<>();
    spark
        .sql("DESCRIBE TABLE described2")
        .collectAsList()
        .forEach(r -> byName.put(r.getString(0), r));
    assertEquals("int", byName.get("x").getString(1));
    assertNull(byName.get("x").get(2));
    assertEquals("bigint", byName.get("area").getString(1));
    assertEquals(
        "virtual: UDF " + AREA + " (scalar) of [x, y], 25% current (1 of 4 rows)",
        byName.get("area").getString(2));
    List<Row> extended = spark.sql("DESCRIBE TABLE EXTENDED described2").collectAsList();
    assertTrue(
        extended.stream()
            .anyMatch(
                r -> r.getString(0).equals("Location") && r.getString(1).endsWith("described2")),
        extended.toString());
    assertTrue(
        extended.stream().anyMatch(r -> r.getString(0).equals("# Virtual Columns")),
        extended.toString());
  }

  @Test
  void showBackfillJobsListsTheJobsOfATableAndOfTheNamespace() {
    createVideos("jobs");
    spark.sql("ALTER TABLE jobs ADD COLUMN area USING UDF '" + AREA + "'");
    String jobId = spark.sql("BACKFILL jobs (area) WHERE x > 2").first().getAs("job_id");
    List<Row> jobs = spark.sql("SHOW BACKFILL JOBS IN jobs").collectAsList();
    assertEquals(1, jobs.size());
    Row j = jobs.get(0);
    assertEquals(jobId, j.getAs("job_id"));
    assertEquals("lancet.default.jobs", j.getAs("table"));
    assertEquals("x > 2", j.getAs("filter"));
    assertEquals("succeeded", j.getAs("status"));
    assertEquals(3L, (long) j.getAs("rows_computed"));
    assertTrue(
        spark.sql("SHOW BACKFILL JOBS").collectAsList().stream()
            .anyMatch(row -> jobId.equals(row.getAs("job_id"))));
  }

  @Test
  void plainAddColumnsAndDropColumnWorkOnLanceTables() {
    createVideos("plain");
    long version = LanceTestReads.version(ref("plain").datasetUri());
    spark.sql("ALTER TABLE plain ADD COLUMNS (score INT, note STRING)");
    assertEquals(
        List.of("filename", "duration_sec", "x", "y", "caption", "score", "note"),
        Arrays.asList(spark.table("plain").columns()));
    assertEquals(
        0L,
        spark.sql("SELECT * FROM plain WHERE score IS NOT NULL").count(),
        "new columns read null");
    spark.sql("INSERT INTO plain VALUES ('f.mp4', 6.0, 1, 2, 'six', 7, 'hi')");
    assertEquals(
        7, spark.sql("SELECT score FROM plain WHERE filename = 'f.mp4'").first().getInt(0));

    spark.sql("ALTER TABLE plain ADD COLUMN area USING UDF '" + AREA + "' BACKFILL");
    assertEquals(5L, spark.sql("SELECT count(area) FROM plain").first().getLong(0));
    spark.sql("ALTER TABLE plain DROP COLUMN area");
    spark.sql("ALTER TABLE plain DROP COLUMN note");
    assertEquals(
        List.of("filename", "duration_sec", "x", "y", "caption", "score"),
        Arrays.asList(spark.table("plain").columns()));
    assertEquals(0, spark.sql("SHOW VIRTUAL COLUMNS IN plain").count());
    assertTrue(LanceTestReads.version(ref("plain").datasetUri()) > version);
  }

  @Test
  void badStatementsFailWithOneLineMessagesAndLeaveTheTableUnchanged() {
    createVideos("guarded");
    String uri = ref("guarded").datasetUri();
    long version = LanceTestReads.version(uri);
    List<String> columns = Arrays.asList(spark.table("guarded").columns());

    assertFails(
        "UDF class 'com.acme.Missing' was not found on the classpath",
        "ALTER TABLE guarded ADD COLUMN area USING UDF 'com.acme.Missing'");
    assertFails(
        "needs input column 'w', which is not in the table",
        "ALTER TABLE guarded ADD COLUMN area USING UDF '" + AREA + "' INPUTS (w, y)");
    assertFails(
        "UDF " + AREA + ": call(...) returns long, which cannot produce the declared type int",
        "ALTER TABLE guarded ADD COLUMN area INT USING UDF '" + AREA + "'");
    assertFails(
        "column 'x' of type int cannot be passed to parameter 'name' (java.lang.String)",
        "ALTER TABLE guarded ADD COLUMN len USING UDF 'dev.lancet.testing.udfs.NameLength' INPUTS"
            + " (x)");
    assertFails(
        "column 'x' already exists", "ALTER TABLE guarded ADD COLUMN x USING UDF '" + AREA + "'");
    assertFails(
        "takes 2 input(s) [x, y] but INPUTS names 1 [x]",
        "ALTER TABLE guarded ADD COLUMN area USING UDF '" + AREA + "' INPUTS (x)");
    // The second column is bad, so the first must not be added either.
    assertFails(
        "UDF class 'Nope' was not found",
        "ALTER TABLE guarded ADD COLUMNS area USING UDF '" + AREA + "', bad USING UDF 'Nope'");
    assertFails(
        "column 'nope' of lancet.default.guarded is not a virtual column; the table has none",
        "BACKFILL guarded (nope)");
    assertFails(
        "column 'x' of lancet.default.guarded is not a virtual column", "BACKFILL guarded (x)");
    assertFails("table 'missing' not found", "BACKFILL missing (area)");
    assertFails(
        "Syntax error at line 1, position 17: expected '(' and the columns to backfill",
        "BACKFILL guarded OPTIONS (batch_size = 1)");
    assertFails("[PARSE_SYNTAX_ERROR] Syntax error at or near 'BACKFIL'", "BACKFIL guarded (area)");

    assertEquals(version, LanceTestReads.version(uri), "no failed statement committed anything");
    assertEquals(columns, Arrays.asList(spark.table("guarded").columns()));
  }

  @Test
  void udfThatThrowsNamesTheRowAndLeavesTheColumnUncomputed() {
    spark.sql("CREATE TABLE ids (id INT)");
    spark.sql("INSERT INTO ids VALUES (5), (6), (7), (8)");
    spark.sql(
        "ALTER TABLE ids ADD COLUMN checked USING UDF 'dev.lancet.testing.udfs.FailsOnSeven'");
    long version = LanceTestReads.version(ref("ids").datasetUri());
    long address = spark.sql("SELECT _rowaddr FROM ids WHERE id = 7").first().getLong(0);
    Exception e = assertThrows(Exception.class, () -> spark.sql("BACKFILL ids (checked)"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "[LANCET_UDF_FAILED] column 'checked': UDF dev.lancet.testing.udfs.FailsOnSeven"
                    + " failed with java.lang.IllegalArgumentException: id 7 is not allowed on"
                    + " input (id=7) at row address "
                    + address
                    + " (fragment "
                    + (address >>> 32)
                    + ", row "
                    + (address & 0xFFFFFFFFL)
                    + ")"),
        e.getMessage());
    assertEquals(version, LanceTestReads.version(ref("ids").datasetUri()));
    spark.sql("SELECT checked FROM ids").collectAsList().forEach(r -> assertNull(r.get(0)));
  }

  @Test
  void formatLanceByPathStillWorksBesideTheCatalog(@TempDir Path dir) {
    String path = dir.resolve("by_path.lance").toString();
    spark.range(3).toDF("id").write().format("lance").save(path);
    assertEquals(3, spark.read().format("lance").load(path).count());
  }

  private static void assertFails(String expected, String sql) {
    Exception e = assertThrows(Exception.class, () -> spark.sql(sql).collectAsList(), sql);
    assertTrue(
        e.getMessage().contains(expected),
        "for: " + sql + "\nexpected: " + expected + "\nbut was: " + e.getMessage());
  }
}
