package dev.lancet.spark.sql.parser;

import java.util.ArrayList;
import java.util.List;

/** Splits a statement into tokens: words, `quoted` identifiers, 'strings', numbers, symbols. */
final class SqlLexer {
  private SqlLexer() {}

  static List<Token> tokenize(String sql) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          throw new SyntaxError("unterminated comment", sql, i);
        }
        i = end + 2;
      } else if (c == '\'' || c == '"') {
        int start = i;
        StringBuilder value = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new SyntaxError("unterminated string", sql, start);
          }
          char d = sql.charAt(i);
          if (d == '\\' && i + 1 < n) {
            value.append(sql.charAt(i + 1));
            i += 2;
          } else if (d == c && i + 1 < n && sql.charAt(i + 1) == c) {
            value.append(c);
            i += 2;
          } else if (d == c) {
            i++;
            break;
          } else {
            value.append(d);
            i++;
          }
        }
        tokens.add(new Token(Token.Kind.STRING, value.toString(), start, i - start));
      } else if (c == '`') {
        int start = i;
        StringBuilder value = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new SyntaxError("unterminated `quoted` identifier", sql, start);
          }
          char d = sql.charAt(i);
          if (d == '`' && i + 1 < n && sql.charAt(i + 1) == '`') {
            value.append('`');
            i += 2;
          } else if (d == '`') {
            i++;
            break;
          } else {
            value.append(d);
            i++;
          }
        }
        tokens.add(new Token(Token.Kind.QUOTED_IDENTIFIER, value.toString(), start, i - start));
      } else if (Character.isDigit(c)) {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
          i++;
        }
        tokens.add(new Token(Token.Kind.NUMBER, sql.substring(start, i), start, i - start));
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
          i++;
        }
        tokens.add(new Token(Token.Kind.WORD, sql.substring(start, i), start, i - start));
      } else {
        tokens.add(new Token(Token.Kind.SYMBOL, String.valueOf(c), i, 1));
        i++;
      }
    }
    tokens.add(new Token(Token.Kind.END, "", n, 0));
    return tokens;
  }
}
