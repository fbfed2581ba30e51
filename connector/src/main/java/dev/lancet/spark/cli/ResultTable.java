package dev.lancet.spark.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.HiveResult;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Renders query results as a boxed text table. Each value is printed as the real {@code spark-sql}
 * prints it (Spark's own Hive-style rendering: {@code [1.0,2.0]}, {@code {"w":640}}, {@code
 * {"k":1}}, timestamps in the session's time zone, binary as its bytes, NULL for nulls), only the
 * box is ours.
 */
final class ResultTable {
  private ResultTable() {}

  static String format(StructType schema, List<Row> rows) {
    String[] names = schema.fieldNames();
    int[] widths = new int[names.length];
    List<String[]> cells = new ArrayList<>();
    // The session's time zone and formats, read on the statement's thread as spark-sql does.
    HiveResult.TimeFormatters formatters = HiveResult.getTimeFormatters();
    for (int c = 0; c < names.length; c++) {
      widths[c] = names[c].length();
    }
    for (Row row : rows) {
      String[] line = new String[names.length];
      for (int c = 0; c < names.length; c++) {
        line[c] =
            HiveResult.toHiveString(
                new Tuple2<>(row.get(c), schema.fields()[c].dataType()), false, formatters);
        widths[c] = Math.max(widths[c], line[c].length());
      }
      cells.add(line);
    }
    StringBuilder out = new StringBuilder();
    String border = border(widths);
    out.append(border).append(line(names, widths)).append(border);
    for (String[] line : cells) {
      out.append(line(line, widths));
    }
    if (!cells.isEmpty()) {
      out.append(border);
    }
    return out.toString();
  }

  private static String border(int[] widths) {
    StringBuilder b = new StringBuilder("+");
    for (int w : widths) {
      b.append("-".repeat(w + 2)).append('+');
    }
    return b.append('\n').toString();
  }

  private static String line(String[] values, int[] widths) {
    StringBuilder b = new StringBuilder("|");
    for (int c = 0; c < values.length; c++) {
      b.append(' ')
          .append(values[c])
          .append(" ".repeat(widths[c] - values[c].length()))
          .append(" |");
    }
    return b.append('\n').toString();
  }
}
