package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.testing.ExternalJars;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In plain SQL: two virtual columns whose UDFs need different versions of one library (Guava 18 and
 * 33.5; the engine carries 33.3), each with its own jars named by {@code JARS (...)}, added in one
 * statement and backfilled in one statement, three times in a row.
 */
class DependencyIsolationSqlTest extends SparkSqlTest {
  @TempDir static Path dir;

  private static Path udfJar(String name, String className, String body, Path library) {
    String pkg = className.substring(0, className.lastIndexOf('.'));
    String simple = className.substring(className.lastIndexOf('.') + 1);
    return ExternalJars.compile(
        dir.resolve(name),
        Map.of(
            className,
            "package "
                + pkg
                + "; public class "
                + simple
                + " { public String call(int id) { return "
                + body
                + "; } }"),
        List.of(library));
  }

  private static String quoted(Path... jars) {
    return String.join(", ", java.util.Arrays.stream(jars).map(j -> "'" + j + "'").toList());
  }

  @Test
  void twoColumnsWithDifferentGuavaVersionsAddAndBackfillInOneStatementEach() {
    Path guava18 = ExternalJars.userDep("guava-18.0.jar");
    Path guava35 = ExternalJars.userDep("guava-33.5.0-jre.jar");
    Path legacy =
        udfJar(
            "legacy.jar",
            "com.acme.sql.legacy.Describe",
            "com.google.common.base.Objects.toStringHelper(\"row\").add(\"id\", id).toString()",
            guava18);
    Path modern =
        udfJar(
            "modern.jar",
            "com.acme.sql.modern.Padded",
            "com.google.common.base.Strings.padStart(\"\" + id, 3, '0') + \" \" +"
                + " com.google.common.base.Strings.class.getProtectionDomain().getCodeSource()"
                + ".getLocation().getPath().endsWith(\"-guava-33.5.0-jre.jar\")",
            guava35);
    spark.sql("CREATE TABLE guavas (id INT)");
    spark.sql("INSERT INTO guavas SELECT CAST(id AS INT) FROM range(0, 50) AS t(id)");
    spark.sql(
        "ALTER TABLE guavas ADD COLUMNS described USING UDF 'com.acme.sql.legacy.Describe' JARS ("
            + quoted(legacy, guava18)
            + "), padded USING UDF 'com.acme.sql.modern.Padded' JARS ("
            + quoted(modern, guava35)
            + ")");

    long[] computed = new long[3];
    for (int run = 0; run < 3; run++) {
      computed[run] =
          spark.sql("BACKFILL guavas (described, padded)").collectAsList().stream()
              .mapToLong(r -> r.getLong(r.fieldIndex("rows_computed")))
              .sum();
    }
    assertEquals(100, computed[0], "both columns, every row");
    assertEquals(0, computed[1] + computed[2], "then nothing");
    for (Row r : spark.sql("SELECT id, described, padded FROM guavas").collectAsList()) {
      int id = r.getInt(0);
      assertEquals("row{id=" + id + "}", r.getString(1));
      assertEquals(String.format("%03d", id) + " true", r.getString(2));
    }
    String code =
        spark.sql("SHOW VIRTUAL COLUMNS IN guavas").collectAsList().stream()
            .filter(r -> r.getString(r.fieldIndex("column")).equals("described"))
            .map(r -> r.<String>getAs("code"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        code.contains("pinned: legacy.jar (sha256:") && code.contains("guava-18.0.jar"), code);
  }

  @Test
  void aJarJarsNamesThatDoesNotExistIsOneLine() {
    spark.sql("CREATE TABLE nojar (id INT)");
    AnalysisException e =
        assertThrows(
            AnalysisException.class,
            () ->
                spark.sql(
                    "ALTER TABLE nojar ADD COLUMN c USING UDF 'com.acme.X' JARS ('"
                        + dir.resolve("missing.jar")
                        + "')"));
    assertEquals("LANCET_PATH_NOT_FOUND", e.getErrorClass());
    assertTrue(
        e.getMessage().contains("JARS: " + dir.resolve("missing.jar") + " does not exist"),
        e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void aClassNotInTheJarsJarsNamesIsOneLineNamingThem() {
    spark.sql("CREATE TABLE wrongjar (id INT)");
    AnalysisException e =
        assertThrows(
            AnalysisException.class,
            () ->
                spark.sql(
                    "ALTER TABLE wrongjar ADD COLUMN c USING UDF 'com.acme.Missing' JARS ("
                        + quoted(ExternalJars.userDep("guava-18.0.jar"))
                        + ")"));
    assertEquals("LANCET_UDF_NOT_FOUND", e.getErrorClass());
    assertTrue(
        e.getMessage()
            .contains("UDF class com.acme.Missing is not in the jars JARS names (guava-18.0.jar)"),
        e.getMessage());
  }
}
