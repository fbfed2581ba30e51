package dev.lancet.backfill.plan;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What is wrong with a filter, from Lance's error, in the user's words: Lance reports a syntax
 * error on the internal statement it wraps the filter in ({@code SELECT 1 FROM t WHERE ...}) and an
 * unknown column with every field, its own metadata columns included.
 */
final class FilterErrors {
  private static final Pattern SYNTAX = Pattern.compile("sql parser error: ([^)]*)\\)?");
  private static final Pattern NO_FIELD =
      Pattern.compile("No field named ([^.\\s]+)\\. Valid fields are ([^\\n]*?)\\.?\\s*$");

  private FilterErrors() {}

  static String describe(String message) {
    if (message == null) {
      return "rejected by Lance";
    }
    String first = message.lines().findFirst().orElse("");
    int at = first.indexOf(", /workspace/"); // Lance's source position
    if (at > 0) {
      first = first.substring(0, at);
    }
    Matcher syntax = SYNTAX.matcher(first);
    if (syntax.find()) {
      return "syntax error: " + syntax.group(1).strip();
    }
    Matcher noField = NO_FIELD.matcher(first);
    if (noField.find()) {
      List<String> columns =
          Arrays.stream(noField.group(2).split(","))
              .map(String::strip)
              .filter(c -> !c.isEmpty() && !c.startsWith("_row"))
              .toList();
      return "no column named "
          + noField.group(1)
          + "; the table's columns are "
          + columns.stream().collect(Collectors.joining(", "));
    }
    return first;
  }
}
