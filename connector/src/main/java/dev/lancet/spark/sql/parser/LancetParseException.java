package dev.lancet.spark.sql.parser;

/**
 * A Lancet statement could not be parsed. The first line of the message says what was expected and
 * where; the statement follows with a caret under the position.
 */
public class LancetParseException extends IllegalArgumentException {
  private final int offset;

  LancetParseException(String problem, String sql, int offset) {
    super(format(problem, sql, offset));
    this.offset = offset;
  }

  /** Offset of the error in the statement text. */
  public int offset() {
    return offset;
  }

  private static String format(String problem, String sql, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset && i < sql.length(); i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int lineEnd = sql.indexOf('\n', lineStart);
    String text = sql.substring(lineStart, lineEnd < 0 ? sql.length() : lineEnd);
    int column = offset - lineStart;
    return "Syntax error at line "
        + line
        + ", position "
        + column
        + ": "
        + problem
        + "\n"
        + "== SQL ==\n"
        + text
        + "\n"
        + "-".repeat(Math.max(0, column))
        + "^^^";
  }
}
