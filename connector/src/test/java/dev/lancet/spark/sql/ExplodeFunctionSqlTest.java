package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.testing.udfs.Counting;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 1:N UDFs in plain Spark SQL: {@code lancet_explode('class', args)} as a table function, LATERAL
 * over a table's rows, one UDF call per source row.
 */
class ExplodeFunctionSqlTest extends SparkSqlTest {
  private static final String WORDS = "dev.lancet.testing.udfs.Counting$Words";
  private static final String UPTO = "dev.lancet.testing.udfs.Counting$Upto";

  @BeforeEach
  void reset() {
    Counting.CALLS.set(0);
    Counting.failFrom = Integer.MAX_VALUE;
    // Spark's generated code calls the UDF: a compile failure fails the test, not a fallback.
    spark.conf().set("spark.sql.codegen.fallback", "false");
  }

  @AfterEach
  void restore() {
    spark.conf().unset("spark.sql.codegen.fallback");
  }

  @Test
  void lateralExplodeGivesEachSourceRowsDerivedRowsWithOneCallPerRow() {
    spark.sql("CREATE TABLE docs (id INT, text STRING)");
    spark.sql(
        "INSERT INTO docs VALUES (1, 'a cat sat'), (2, 'dogs'), (3, NULL), (4, ''), (5, 'x y')");
    List<Row> rows =
        spark
            .sql(
                "SELECT d.id, w.position, w.word FROM docs d, LATERAL lancet_explode('"
                    + WORDS
                    + "', d.id, d.text) w")
            .collectAsList();
    // Not sorted in SQL: a global sort samples its input first, a second run of the plan.
    assertEquals(
        List.of("1 0 a", "1 1 cat", "1 2 sat", "2 0 dogs", "5 0 x", "5 1 y"),
        rows.stream()
            .map(r -> r.getInt(0) + " " + r.getInt(1) + " " + r.getString(2))
            .sorted()
            .toList());
    assertEquals(5, Counting.CALLS.get(), "one call per source row");
  }

  @Test
  void valuesAreRowsOfOneColumnNamedValueAndAFunctionCanStandAlone() {
    List<Row> rows =
        spark.sql("SELECT value FROM lancet_explode('" + UPTO + "', 3)").collectAsList();
    assertEquals(List.of(0L, 1L, 2L), rows.stream().map(r -> r.getLong(0)).toList());
    long total =
        spark
            .sql(
                "SELECT sum(u.value) FROM range(0, 5) t, LATERAL lancet_explode('"
                    + UPTO
                    + "', CAST(t.id AS INT)) u")
            .first()
            .getLong(0);
    assertEquals(0 + 0 + 1 + 0 + 1 + 2 + 0 + 1 + 2 + 3, total);
  }

  @Test
  void aShortNameCarriesItsOptionsAndIsReplacedOnlyWhenAsked() {
    spark.sql("CREATE TABLE csv (id INT, text STRING)");
    spark.sql("INSERT INTO csv VALUES (1, 'a,b'), (2, 'c d,e')");
    Row created =
        spark
            .sql(
                "CREATE TEMPORARY TABLE FUNCTION split_words USING UDF '"
                    + WORDS
                    + "' OPTIONS (separator = ',')")
            .first();
    assertEquals("struct<position:int,word:string>", created.getString(2));
    String query = "SELECT d.id, w.word FROM csv d, LATERAL split_words(d.id, d.text) w";
    assertEquals(
        List.of("1 a", "1 b", "2 c d", "2 e"),
        spark.sql(query).collectAsList().stream()
            .map(r -> r.getInt(0) + " " + r.getString(1))
            .sorted()
            .toList());
    Exception again =
        assertThrows(
            Exception.class,
            () ->
                spark.sql("CREATE TEMPORARY TABLE FUNCTION split_words USING UDF '" + WORDS + "'"));
    assertTrue(again.getMessage().contains("already exists"), again.getMessage());
    spark.sql("CREATE OR REPLACE TEMPORARY TABLE FUNCTION split_words USING UDF '" + WORDS + "'");
    assertEquals(3L, spark.sql(query).count()); // split on spaces now: a,b / c / d,e
    Exception options =
        assertThrows(
            Exception.class,
            () ->
                spark.sql(
                    "CREATE TEMPORARY TABLE FUNCTION upto USING UDF '"
                        + UPTO
                        + "' OPTIONS (n = '3')"));
    assertTrue(options.getMessage().contains("LANCET_UDF_INVALID"), options.getMessage());
    assertTrue(options.getMessage().contains("takes no options"), options.getMessage());
  }

  @Test
  void aClassThatIsNotA1ToNUdfOrTheWrongArgumentsFailInOneLine() {
    Exception notList =
        assertThrows(
            Exception.class,
            () ->
                spark
                    .sql(
                        "SELECT * FROM lancet_explode('dev.lancet.testing.udfs.Counting$Area', 1,"
                            + " 2, 3)")
                    .collect());
    assertTrue(notList.getMessage().contains("LANCET_UDF_INVALID"), notList.getMessage());
    assertTrue(notList.getMessage().contains("returns long"), notList.getMessage());
    Exception arity =
        assertThrows(
            Exception.class,
            () -> spark.sql("SELECT * FROM lancet_explode('" + UPTO + "', 1, 2)").collect());
    assertTrue(arity.getMessage().contains("takes 1 argument(s), 2 given"), arity.getMessage());
  }
}
