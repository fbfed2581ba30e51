package dev.lancet.spark.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements at top-level semicolons, respecting 'strings', "strings",
 * `identifiers`, -- line comments and block comments.
 */
final class SqlScripts {
  private SqlScripts() {}

  /** The statements of a script, trimmed, empty ones (and pure comments) dropped. */
  static List<String> split(String script) {
    List<String> statements = new ArrayList<>();
    Scan scan = scan(script);
    int start = 0;
    for (int end : scan.semicolons) {
      add(statements, script.substring(start, end));
      start = end + 1;
    }
    add(statements, script.substring(start));
    return statements;
  }

  /** Whether interactive input ends a statement: a top-level ';' closes it, outside any quote. */
  static boolean isComplete(String buffer) {
    Scan scan = scan(buffer);
    return !scan.open
        && !scan.semicolons.isEmpty()
        && buffer.substring(scan.semicolons.get(scan.semicolons.size() - 1) + 1).isBlank();
  }

  private static void add(List<String> statements, String statement) {
    if (!stripComments(statement).isBlank()) {
      statements.add(statement.trim());
    }
  }

  private static String stripComments(String sql) {
    StringBuilder code = new StringBuilder();
    for (String line : sql.split("\n")) {
      int dash = line.indexOf("--");
      code.append(dash >= 0 ? line.substring(0, dash) : line).append('\n');
    }
    return code.toString().replaceAll("(?s)/\\*.*?\\*/", "");
  }

  private record Scan(List<Integer> semicolons, boolean open) {}

  private static Scan scan(String s) {
    List<Integer> semicolons = new ArrayList<>();
    char quote = 0;
    boolean lineComment = false;
    boolean blockComment = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
      if (lineComment) {
        lineComment = c != '\n';
      } else if (blockComment) {
        if (c == '*' && next == '/') {
          blockComment = false;
          i++;
        }
      } else if (quote != 0) {
        if (c == '\\' && quote != '`') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '-' && next == '-') {
        lineComment = true;
      } else if (c == '/' && next == '*') {
        blockComment = true;
        i++;
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
      } else if (c == ';') {
        semicolons.add(i);
      }
    }
    return new Scan(semicolons, quote != 0 || blockComment);
  }
}
