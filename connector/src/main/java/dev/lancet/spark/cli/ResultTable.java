package dev.lancet.spark.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** Renders query results as a boxed text table, NULL for nulls. */
final class ResultTable {
  private ResultTable() {}

  static String format(StructType schema, List<Row> rows) {
    String[] names = schema.fieldNames();
    int[] widths = new int[names.length];
    List<String[]> cells = new ArrayList<>();
    for (int c = 0; c < names.length; c++) {
      widths[c] = names[c].length();
    }
    for (Row row : rows) {
      String[] line = new String[names.length];
      for (int c = 0; c < names.length; c++) {
        Object v = row.get(c);
        line[c] = v == null ? "NULL" : v instanceof byte[] b ? hex(b) : String.valueOf(v);
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
      b.append(' ').append(values[c]).append(" ".repeat(widths[c] - values[c].length())).append(" |");
    }
    return b.append('\n').toString();
  }

  private static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder("0x");
    for (byte x : bytes) {
      b.append(String.format("%02X", x));
    }
    return b.toString();
  }
}
