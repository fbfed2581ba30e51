package dev.lancet.spark.sql.parser;

import dev.lancet.spark.sql.errors.LancetSqlException;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkSqlParser;
import org.apache.spark.sql.execution.command.AddJarsCommand;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Spark's parser with Lancet's statements in front: a Lancet statement is parsed here, anything
 * else goes to the delegate untouched.
 */
public final class LancetSqlParser implements ParserInterface {
  private final ParserInterface delegate;

  public LancetSqlParser(ParserInterface delegate) {
    this.delegate = delegate;
  }

  @Override
  public LogicalPlan parsePlan(String sqlText) throws ParseException {
    if (LancetStatementParser.isLancetStatement(sqlText)) {
      return LancetStatementParser.parse(sqlText);
    }
    LogicalPlan plan = delegate.parsePlan(sqlText);
    if (plan == null) {
      // lance-spark 0.4.0's parser returns null for some unknown statements (e.g. "BACKFIL t (c)"),
      // which Spark then fails on with an internal error. Spark's own parser reports the syntax
      // error.
      return new SparkSqlParser().parsePlan(sqlText);
    }
    if (plan instanceof AddJarsCommand add) {
      checkLocalJars(JavaConverters.seqAsJavaList(add.paths()));
    }
    return plan;
  }

  /**
   * Spark's ADD JAR logs a stack trace for a local jar that does not exist and succeeds; the
   * statement fails here instead, in one line. Other schemes (ivy://, hdfs://, s3a://, ...) are
   * Spark's to resolve.
   */
  static void checkLocalJars(java.util.List<String> paths) {
    for (String path : paths) {
      java.nio.file.Path local;
      try {
        java.net.URI uri = new java.net.URI(path);
        if (uri.getScheme() != null && uri.getScheme().length() > 1) {
          if (!uri.getScheme().equals("file")) {
            continue;
          }
          local = java.nio.file.Path.of(uri);
        } else {
          local = java.nio.file.Path.of(path);
        }
      } catch (java.net.URISyntaxException | IllegalArgumentException notAUri) {
        local = java.nio.file.Path.of(path);
      }
      if (!java.nio.file.Files.isRegularFile(local)) {
        throw LancetSqlException.raise(
            new LancetException(
                ErrorCode.LANCET_PATH_NOT_FOUND,
                "ADD JAR: "
                    + path
                    + (java.nio.file.Files.isDirectory(local)
                        ? " is a directory, not a jar"
                        : " does not exist")));
      }
    }
  }

  @Override
  public Expression parseExpression(String sqlText) throws ParseException {
    return delegate.parseExpression(sqlText);
  }

  @Override
  public TableIdentifier parseTableIdentifier(String sqlText) throws ParseException {
    return delegate.parseTableIdentifier(sqlText);
  }

  @Override
  public FunctionIdentifier parseFunctionIdentifier(String sqlText) throws ParseException {
    return delegate.parseFunctionIdentifier(sqlText);
  }

  @Override
  public Seq<String> parseMultipartIdentifier(String sqlText) throws ParseException {
    return delegate.parseMultipartIdentifier(sqlText);
  }

  @Override
  public LogicalPlan parseQuery(String sqlText) throws ParseException {
    return delegate.parseQuery(sqlText);
  }

  @Override
  public StructType parseTableSchema(String sqlText) throws ParseException {
    return delegate.parseTableSchema(sqlText);
  }

  @Override
  public DataType parseDataType(String sqlText) throws ParseException {
    return delegate.parseDataType(sqlText);
  }
}
