package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.sql.errors.LancetSqlException;
import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.testing.ExternalJars;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's UDF jar, compiled outside the build and added with {@code ADD JAR} to a running session,
 * and the allowed-packages policy, through SQL.
 */
class UserCodeSqlTest extends SparkSqlTest {
  private static final String UDF = "com.acme.sql.JarArea";
  @TempDir static Path jars;

  @BeforeAll
  static void addTheUsersJar() {
    Path jar = ExternalJars.compile(jars.resolve("acme-udfs.jar"), ExternalJars.areaUdf(UDF, 0));
    spark.sql("ADD JAR '" + jar + "'"); // after the session started, as a user does
  }

  @AfterEach
  void noPolicy() {
    spark.conf().unset(LancetConf.ALLOWED_PACKAGES);
  }

  private static String areas(String table) {
    return spark.sql("SELECT id, area FROM " + table + " ORDER BY id").collectAsList().stream()
        .map(r -> r.get(0) + "=" + r.get(1))
        .collect(Collectors.joining(","));
  }

  @Test
  void aUdfFromAnAddedJarIsRegisteredBackfilledAndComputesOnlyAppendedRowsAfterAnInsert() {
    spark.sql("CREATE TABLE jarred (id INT, x INT, y INT)");
    spark.sql("INSERT INTO jarred VALUES (1, 2, 3), (2, 3, 4)");
    spark.sql("ALTER TABLE jarred ADD COLUMN area USING UDF '" + UDF + "'");
    ExternalJars.resetCalls(UDF);

    spark.sql("BACKFILL jarred (area)");
    assertEquals(2, ExternalJars.calls(UDF));
    spark.sql("INSERT INTO jarred VALUES (3, 4, 5)");
    Row r = spark.sql("BACKFILL jarred (area)").first();

    assertEquals(1L, r.getLong(r.fieldIndex("rows_computed")));
    assertEquals(3, ExternalJars.calls(UDF));
    assertEquals("1=6,2=12,3=20", areas("jarred"));
  }

  @Test
  void aUdfCompiledWithoutParameterNamesTakesItsColumnsFromInputsAndAsksForThemWithout() {
    String plain = "com.acme.sql.PlainArea";
    Path jar =
        ExternalJars.compileWithoutParameterNames(
            jars.resolve("plain-udfs.jar"), ExternalJars.areaUdf(plain, 0));
    spark.sql("ADD JAR '" + jar + "'");
    spark.sql("CREATE TABLE plain (id INT, w INT, h INT)");
    spark.sql("INSERT INTO plain VALUES (1, 2, 3), (2, 3, 4)");

    LancetSqlException e =
        assertThrows(
            LancetSqlException.class,
            () -> spark.sql("ALTER TABLE plain ADD COLUMN area USING UDF '" + plain + "'"));
    assertTrue(
        e.getMessage().contains("parameter names of call(...) are not in the class file")
            && e.getMessage().contains("INPUTS (a, b)"),
        e.getMessage());

    spark.sql("ALTER TABLE plain ADD COLUMN area USING UDF '" + plain + "' INPUTS (w, h)");
    ExternalJars.resetCalls(plain);
    Row r = spark.sql("BACKFILL plain (area)").first();
    assertEquals(2L, r.getLong(r.fieldIndex("rows_computed")));
    assertEquals(2, ExternalJars.calls(plain));
    assertEquals("1=6,2=12", areas("plain"));
  }

  @Test
  void aClassOutsideTheAllowedPackagesIsRefusedAtAddColumnAndBackfillInOneLine() {
    spark.sql("CREATE TABLE policed (id INT, x INT, y INT)");
    spark.sql("INSERT INTO policed VALUES (1, 2, 3)");
    spark.sql("ALTER TABLE policed ADD COLUMN area USING UDF '" + UDF + "'");
    spark.conf().set(LancetConf.ALLOWED_PACKAGES, "org.trusted, dev.lancet");
    String expected =
        "UDF class '"
            + UDF
            + "' is outside lancet.udf.allowed-packages org.trusted, dev.lancet; it was not loaded";

    Exception add =
        assertThrows(
            Exception.class,
            () -> spark.sql("ALTER TABLE policed ADD COLUMN area2 USING UDF '" + UDF + "'"));
    assertEquals("[LANCET_UDF_NOT_ALLOWED] " + expected, add.getMessage());
    Exception backfill = assertThrows(Exception.class, () -> spark.sql("BACKFILL policed (area)"));
    assertEquals("[LANCET_UDF_NOT_ALLOWED] " + expected, backfill.getMessage());

    // Reading and describing the table loads no UDF class, so the policy does not stand in the way.
    assertEquals("1=null", areas("policed"));
    assertEquals(1, spark.sql("SHOW VIRTUAL COLUMNS IN policed").count());
    assertTrue(
        spark.sql("DESCRIBE TABLE EXTENDED policed").collectAsList().stream()
            .anyMatch(row -> String.valueOf(row.get(2)).contains(UDF)));
    assertEquals(3, spark.table("policed").schema().fields().length - 1);
    assertNull(spark.sql("SELECT area FROM policed").first().get(0));

    spark.conf().set(LancetConf.ALLOWED_PACKAGES, "com.acme");
    spark.sql("BACKFILL policed (area)");
    assertEquals("1=6", areas("policed"));
  }

  @Test
  void theJvmPropertySetsThePolicyWhenTheSessionDoesNot() {
    spark.sql("CREATE TABLE jvmpoliced (id INT, x INT, y INT)");
    String before = System.getProperty("lancet.udf.allowed-packages");
    System.setProperty("lancet.udf.allowed-packages", "org.trusted");
    try {
      Exception add =
          assertThrows(
              Exception.class,
              () -> spark.sql("ALTER TABLE jvmpoliced ADD COLUMN area USING UDF '" + UDF + "'"));
      assertTrue(
          add.getMessage()
              .endsWith("is outside lancet.udf.allowed-packages org.trusted; it was not loaded"),
          add.getMessage());
      spark.conf().set(LancetConf.ALLOWED_PACKAGES, "com.acme"); // the session's setting wins
      spark.sql("ALTER TABLE jvmpoliced ADD COLUMN area USING UDF '" + UDF + "'");
    } finally {
      if (before == null) {
        System.clearProperty("lancet.udf.allowed-packages");
      } else {
        System.setProperty("lancet.udf.allowed-packages", before);
      }
    }
  }

  @Test
  void tablesNameThemselvesAsWrittenInErrors() {
    spark.sql("CREATE TABLE named (id INT, x INT, y INT)");
    spark.sql("ALTER TABLE named ADD COLUMN area USING UDF '" + UDF + "'");
    Exception e =
        assertThrows(
            Exception.class,
            () -> spark.sql("ALTER TABLE named ADD COLUMN area USING UDF '" + UDF + "'"));
    assertEquals(
        "[LANCET_COLUMN_ALREADY_EXISTS] column 'area' already exists in lancet.default.named",
        e.getMessage());
  }

  @Test
  void udfClassesLoadFromTheSessionsClassLoaderWhichHoldsTheAddedJars() {
    assertEquals(spark.sharedState().jarClassLoader(), LancetConf.of(spark).udfClassLoader());
  }
}
