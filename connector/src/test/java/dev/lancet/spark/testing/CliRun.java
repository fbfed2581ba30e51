package dev.lancet.spark.testing;

import dev.lancet.spark.cli.LancetSql;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the lancet-sql console in this JVM, through its own entry point, and what it printed.
 *
 * @param code the exit code
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
public record CliRun(int code, String out, String err) {
  /** Runs the console with {@code stdin} as its input on {@code warehouse}, in local[2]. */
  public static CliRun run(Path warehouse, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--warehouse", warehouse.toString(), "--master", "local[2]"));
    // ADD JAR makes the session's class loader the thread's; a console is a process of its own,
    // so each run starts from this thread's loader as it was.
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    int code;
    try {
      code =
          LancetSql.run(
              all,
              new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
    } finally {
      Thread.currentThread().setContextClassLoader(loader);
    }
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The data rows of the last table printed whose first column is {@code filename}, as cells. */
  /**
   * The rows of every table printed whose first cell matches {@code firstCell} (a regex), in order,
   * each row's trimmed cells joined by {@code separator}.
   */
  public List<String> rows(String firstCell, String separator) {
    List<String> rows = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.startsWith("|") || line.startsWith("|-")) {
        continue;
      }
      String[] cells = line.substring(1).split("\\|");
      for (int c = 0; c < cells.length; c++) {
        cells[c] = cells[c].trim();
      }
      if (cells.length > 0 && cells[0].matches(firstCell)) {
        rows.add(String.join(separator, cells));
      }
    }
    return rows;
  }

  public static List<String[]> lastTable(String out) {
    List<String[]> rows = new ArrayList<>();
    String[] lines = out.split("\n");
    int header = -1;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("| filename")) {
        header = i;
      }
    }
    for (int i = header + 2; i < lines.length && lines[i].startsWith("|"); i++) {
      String[] cells = lines[i].substring(1).split("\\|");
      for (int c = 0; c < cells.length; c++) {
        cells[c] = cells[c].trim();
      }
      rows.add(cells);
    }
    return rows;
  }
}
