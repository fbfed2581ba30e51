package dev.lancet.spark.sql.parser;

import java.util.Locale;

/**
 * One lexical token of a statement, with its offset in the SQL text.
 *
 * @param kind what the token is
 * @param text the token's value (unquoted for identifiers and strings)
 * @param offset start offset in the statement
 * @param length length in the statement text
 */
record Token(Kind kind, String text, int offset, int length) {
  enum Kind {
    WORD,
    QUOTED_IDENTIFIER,
    STRING,
    NUMBER,
    SYMBOL,
    END
  }

  /**
   * Whether this is the keyword {@code keyword} (case-insensitive; a quoted identifier never is).
   */
  boolean isKeyword(String keyword) {
    return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
  }

  boolean isSymbol(String symbol) {
    return kind == Kind.SYMBOL && text.equals(symbol);
  }

  boolean isIdentifier() {
    return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER;
  }

  /** How the token reads in an error message. */
  String describe() {
    return switch (kind) {
      case END -> "end of statement";
      case STRING -> "'" + text + "'";
      case QUOTED_IDENTIFIER -> "`" + text + "`";
      default -> "'" + text + "'";
    };
  }

  String upper() {
    return text.toUpperCase(Locale.ROOT);
  }
}
