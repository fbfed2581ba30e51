package dev.lancet.spark.sql.parser;

/**
 * A syntax error found by the lexer or the statement parser, unchecked inside the parser; {@link
 * LancetStatementParser#parse} turns it into a {@link LancetParseException}. The first line of the
 * message says what was expected and where; the statement follows with a caret under the position.
 */
final class SyntaxError extends IllegalArgumentException {
  private final int offset;
  private final int line;
  private final int column;

  SyntaxError(String problem, String sql, int offset) {
    super(format(problem, sql, offset));
    this.offset = offset;
    int l = 1;
    int lineStart = 0;
    for (int i = 0; i < offset && i < sql.length(); i++) {
      if (sql.charAt(i) == '\n') {
        l++;
        lineStart = i + 1;
      }
    }
    this.line = l;
    this.column = offset - lineStart;
  }

  /** Offset of the error in the statement text. */
  int offset() {
    return offset;
  }

  /** The error's line in the statement, from 1. */
  int line() {
    return line;
  }

  /** The error's position in its line, from 0. */
  int column() {
    return column;
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
