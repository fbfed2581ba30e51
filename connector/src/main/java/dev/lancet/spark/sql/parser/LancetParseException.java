package dev.lancet.spark.sql.parser;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import org.apache.spark.QueryContext;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.trees.Origin;
import scala.Option;

/**
 * A Lancet statement could not be parsed: Spark's own {@link ParseException}, with the error's line
 * and position in it ({@code line()}, {@code startPosition()}) and the error class {@code
 * LANCET_PARSE_ERROR} ({@link #getErrorClass()}). The first line of the message says what was
 * expected and where, after the code; the statement follows with a caret under the position.
 */
public class LancetParseException extends ParseException {
  private final int offset;

  LancetParseException(SyntaxError e, String sql) {
    super(
        Option.apply(sql),
        e.getMessage(),
        origin(e.line(), e.column()),
        origin(e.line(), e.column()),
        Option.apply(ErrorCode.LANCET_PARSE_ERROR.name()),
        scala.collection.immutable.Map$.MODULE$.<String, String>empty(),
        new QueryContext[0]);
    this.offset = e.offset();
  }

  private static Origin origin(int line, int column) {
    return new Origin(
        Option.<Object>apply(line),
        Option.<Object>apply(column),
        Option.empty(),
        Option.empty(),
        Option.empty(),
        Option.empty(),
        Option.empty());
  }

  /** Offset of the error in the statement text. */
  public int offset() {
    return offset;
  }

  /** The error's code, {@link ErrorCode#LANCET_PARSE_ERROR}. */
  public ErrorCode code() {
    return ErrorCode.LANCET_PARSE_ERROR;
  }

  @Override
  public String getSqlState() {
    return ErrorCode.LANCET_PARSE_ERROR.sqlState();
  }

  /** {@code [LANCET_PARSE_ERROR] Syntax error at line l, position p: ...}, then the statement. */
  @Override
  public String getMessage() {
    return LancetException.render(ErrorCode.LANCET_PARSE_ERROR, message());
  }
}
