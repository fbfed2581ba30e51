package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.sql.errors.LancetSqlException;
import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.junit.jupiter.api.Test;

/**
 * A Lancet statement's error is Spark's own: an {@link AnalysisException} (a {@link ParseException}
 * for syntax) whose error class is the Lancet code, which spark-sql and PySpark show, and whose
 * message reads {@code [CODE] message}.
 */
class StatementErrorsSqlTest extends SparkSqlTest {
  @Test
  void aStatementErrorIsAnAnalysisExceptionWithTheLancetErrorClass() {
    spark.sql("CREATE TABLE plain (id INT, x INT, y INT)");
    AnalysisException e =
        assertThrows(AnalysisException.class, () -> spark.sql("BACKFILL plain (x)"));
    assertInstanceOf(LancetSqlException.class, e);
    assertEquals("LANCET_COLUMN_NOT_VIRTUAL", e.getErrorClass());
    assertEquals("42809", e.getSqlState());
    assertTrue(
        e.getMessage().startsWith("[LANCET_COLUMN_NOT_VIRTUAL] column 'x' of "), e.getMessage());
    assertTrue(
        e.getMessage().endsWith("is not a virtual column; the table has none"), e.getMessage());
    assertEquals(
        ErrorCode.LANCET_COLUMN_NOT_VIRTUAL, ((LancetException) e.getCause()).code(), "the cause");
  }

  @Test
  void anEngineErrorKeepsItsCode() {
    spark.sql("CREATE TABLE nope (id INT, x INT, y INT)");
    AnalysisException e =
        assertThrows(
            AnalysisException.class,
            () -> spark.sql("ALTER TABLE nope ADD COLUMN a USING UDF 'com.acme.Nope'"));
    assertEquals("LANCET_UDF_NOT_FOUND", e.getErrorClass());
    assertEquals(
        "[LANCET_UDF_NOT_FOUND] UDF class 'com.acme.Nope' was not found on the classpath",
        e.getMessage());
  }

  @Test
  void aSyntaxErrorIsAParseExceptionWithItsPosition() {
    ParseException e = assertThrows(ParseException.class, () -> spark.sql("BACKFILL t (a) WHERE"));
    assertEquals("LANCET_PARSE_ERROR", ((SparkThrowable) e).getErrorClass());
    assertEquals("42601", e.getSqlState());
    assertEquals(1, e.line().get());
    assertTrue(e.startPosition().isDefined());
    assertTrue(
        e.getMessage().startsWith("[LANCET_PARSE_ERROR] Syntax error at line 1, position "),
        e.getMessage());
    assertTrue(e.getMessage().contains("expected a filter after WHERE"), e.getMessage());
  }

  @Test
  void theSqlExceptionCarriesTheCodeAndMessageOfTheLancetError() {
    LancetException cause =
        new LancetException(ErrorCode.LANCET_INVALID_OPTION, "option '%s' is bad", "x");
    LancetSqlException e = LancetSqlException.of(cause);
    assertEquals(ErrorCode.LANCET_INVALID_OPTION, e.code());
    assertEquals("LANCET_INVALID_OPTION", e.getErrorClass());
    assertEquals("22023", e.getSqlState());
    assertEquals("[LANCET_INVALID_OPTION] option 'x' is bad", e.getMessage());
    assertEquals("option 'x' is bad", e.lancetMessage());
    assertEquals(cause, e.getCause());
  }
}
