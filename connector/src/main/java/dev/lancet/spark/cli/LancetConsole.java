package dev.lancet.spark.cli;

import dev.lancet.backfill.Backfill;
import dev.lancet.backfill.RunningBackfills;
import dev.lancet.spark.LancetSessions;
import dev.lancet.spark.ops.ProgressListeners;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;

/**
 * One run of the {@code lancet-sql} console: its session, options, streams, progress bar and the
 * state of Ctrl-C (whether a statement runs, whether the typed input is dropped, when Ctrl-C was
 * last pressed). It runs a script ({@code -e}, {@code -f}) or reads statements from a terminal or a
 * pipe; results go to stdout as tables, timings and errors to stderr.
 */
final class LancetConsole {
  private static final String PROMPT = "lancet-sql> ";
  private static final String CONTINUE = "          > ";

  private final CliOptions options;
  private final PrintStream out;
  private final PrintStream err;
  private final ProgressBar bar;
  private SparkSession spark;

  /** Whether a statement runs now (Ctrl-C cancels it), and when Ctrl-C was last pressed. */
  private volatile boolean running;

  private volatile boolean discardInput;
  private volatile long lastInterrupt;

  LancetConsole(CliOptions options, PrintStream out, PrintStream err) {
    this.options = options;
    this.out = out;
    this.err = err;
    this.bar = new ProgressBar(err);
  }

  /**
   * Starts the session, runs {@code script} (or, when it is null, the statements read from {@code
   * in}), and stops the session and the workers; returns the process exit code.
   */
  int run(String script, InputStream in) {
    try {
      Files.createDirectories(options.warehouse());
      spark = startSession(options);
      if (System.console() != null) {
        ProgressListeners.set(bar);
      }
      if (script != null) {
        onInterrupt(false);
        return runScript(script);
      }
      console(in);
      return 0;
    } catch (Exception e) {
      report(e);
      return 1;
    } finally {
      if (spark != null) {
        spark.stop();
      }
      Backfill.shutdownWorkers();
    }
  }

  /** The interactive console: JLine on a terminal, plain lines from a pipe. */
  private void console(InputStream in) throws IOException {
    boolean terminal = in == System.in && System.console() != null;
    try (Lines lines =
        terminal
            ? ConsoleLines.open(
                historyFile(),
                () -> {
                  // at the prompt JLine's reader takes Ctrl-C itself (the callback below)
                  if (running) {
                    interrupted(true);
                  }
                },
                () -> {
                  if (twiceInARow()) {
                    err.println();
                    System.exit(130);
                  }
                  discardInput = true; // Ctrl-C at the prompt drops the statement being typed
                })
            : plainLines(in)) {
      if (!terminal) {
        onInterrupt(true);
      }
      interactive(lines);
    }
  }

  /**
   * The console's history: {@code lancet.history-file}, else ~/.lancet_sql_history (as spark-sql
   * keeps ~/.hivehistory).
   */
  private static Path historyFile() {
    String configured = System.getProperty("lancet.history-file");
    return configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".lancet_sql_history");
  }

  /** Whether {@code master} runs executors in this JVM ({@code local}, {@code local[n]}). */
  static boolean isLocal(String master) {
    return master.equals("local") || master.startsWith("local[");
  }

  private static SparkSession startSession(CliOptions options) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("lancet-sql")
            .master(options.master())
            .config("spark.ui.enabled", "false");
    LancetSessions.configure(builder, options.warehouse());
    options.conf().forEach(builder::config);
    List<Path> engineJars = new ArrayList<>();
    if (!isLocal(options.master())) {
      // Executors of their own (local-cluster, standalone, YARN, k8s) get Lancet as spark-submit
      // --jars would give it: the bundle, this console's example UDFs, and the JVM options.
      for (String key : List.of("lancet.bundle.jar", "lancet.examples.jar")) {
        String jar = System.getProperty(key);
        if (jar != null && !jar.isBlank()) {
          engineJars.add(Path.of(jar).toAbsolutePath());
        }
      }
      Map<String, String> executors = LancetSessions.executorConf(engineJars);
      executors.merge(
          "spark.executor.extraJavaOptions",
          options.conf().getOrDefault("spark.executor.extraJavaOptions", ""),
          (ours, given) -> (ours + " " + given).strip());
      List<String> jars = new ArrayList<>(engineJars.stream().map(Path::toString).toList());
      String given = options.conf().get("spark.jars");
      if (given != null && !given.isBlank()) {
        jars.add(given);
      }
      executors.put("spark.jars", String.join(",", jars));
      executors.forEach(builder::config);
    }
    SparkSession spark = builder.getOrCreate();
    LancetSessions.useDefaultNamespace(spark);
    SessionJars.add(spark, options.jars(), engineJars);
    return spark;
  }

  /**
   * Ctrl-C as in spark-sql: it cancels the running statement (its backfills stop within a batch,
   * its Spark jobs are cancelled) and the console goes on; at an idle prompt it drops the statement
   * being typed. Pressed again within two seconds, it quits.
   */
  private void onInterrupt(boolean interactive) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> interrupted(interactive));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // no SIGINT here (not a terminal's process): Ctrl-C ends the JVM as usual
    }
  }

  private void interrupted(boolean interactive) {
    if (twiceInARow() || (!interactive && !running)) {
      err.println();
      System.exit(130); // runs the shutdown hooks: Ray stops, its files go
    }
    if (running) {
      err.println();
      err.println("Cancelling the running statement (Ctrl-C again to quit)...");
      RunningBackfills.cancelAll("Ctrl-C in lancet-sql");
      spark.sparkContext().cancelAllJobs();
    } else {
      discardInput = true; // piped input: no prompt to redraw (a terminal's is JLine's)
    }
  }

  private boolean twiceInARow() {
    long now = System.currentTimeMillis();
    boolean again = now - lastInterrupt < 2_000;
    lastInterrupt = now;
    return again;
  }

  private int runScript(String script) {
    for (String statement : SqlScripts.split(script)) {
      if (!execute(statement)) {
        return 1;
      }
    }
    return 0;
  }

  /** Where the console's input lines come from; null at the end of input. */
  interface Lines extends AutoCloseable {
    String next(String prompt) throws IOException;

    @Override
    default void close() throws IOException {}
  }

  /**
   * Lines of a pipe or file, without prompts: as spark-sql and psql do, a prompt is for a person at
   * a terminal, and in a pipe it would mix into the results on stdout.
   */
  private static Lines plainLines(InputStream in) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    return prompt -> reader.readLine();
  }

  private void interactive(Lines lines) throws IOException {
    StringBuilder buffer = new StringBuilder();
    String line;
    while ((line = lines.next(buffer.length() == 0 ? PROMPT : CONTINUE)) != null) {
      if (discardInput) {
        discardInput = false;
        buffer.setLength(0); // Ctrl-C dropped what was typed before this line
        if (line.isEmpty()) {
          continue;
        }
      }
      buffer.append(line).append('\n');
      if (buffer.toString().isBlank()) {
        buffer.setLength(0);
      } else if (SqlScripts.isComplete(buffer.toString())) {
        for (String statement : SqlScripts.split(buffer.toString())) {
          String word = statement.toLowerCase(Locale.ROOT);
          if (word.equals("exit") || word.equals("quit")) {
            return;
          }
          execute(statement);
        }
        buffer.setLength(0);
      }
    }
  }

  /** Whether the statement is an EXPLAIN whose result carries its plan as text. */
  private static boolean explains(String statement, Dataset<Row> result) {
    return statement.strip().regionMatches(true, 0, "EXPLAIN", 0, 7)
        && java.util.Arrays.asList(result.schema().fieldNames()).contains("plan");
  }

  /** Runs one statement and prints its result; false if it failed. */
  private boolean execute(String statement) {
    long start = System.nanoTime();
    running = true;
    try {
      Dataset<Row> result = spark.sql(statement);
      List<Row> rows = result.schema().isEmpty() ? List.of() : result.collectAsList();
      if (explains(statement, result)) {
        // As spark-sql shows EXPLAIN: the plan's text, not a table around it.
        rows.forEach(r -> out.println(r.<String>getAs("plan") + System.lineSeparator()));
      } else if (!result.schema().isEmpty()) {
        out.print(ResultTable.format(result.schema(), rows));
      }
      out.flush();
      bar.endLine();
      err.printf(
          Locale.ROOT,
          "Time taken: %.3f seconds%s%n",
          (System.nanoTime() - start) / 1e9,
          result.schema().isEmpty() ? "" : ", fetched " + rows.size() + " row(s)");
      return true;
    } catch (Exception e) {
      report(e);
      return false;
    } finally {
      running = false;
    }
  }

  private void report(Exception e) {
    bar.endLine();
    err.println("Error: " + message(e));
    if (options.verbose()) {
      e.printStackTrace(err);
    }
  }

  /**
   * Spark's errors that print a table's schema as a tree ("Missing field c in table t with schema:
   * root |-- ...") in one line: the column names instead of the tree.
   */
  static String withoutSchemaTree(String message) {
    int at = message.indexOf(" with schema:\n");
    if (at < 0) {
      return message;
    }
    List<String> columns = new ArrayList<>();
    for (String line : message.substring(at).split("\n")) {
      if (line.startsWith(" |-- ")) {
        columns.add(line.substring(5, line.indexOf(':') > 5 ? line.indexOf(':') : line.length()));
      }
    }
    return message.substring(0, at) + "; its columns are " + String.join(", ", columns);
  }

  /** The message a user needs: Spark's analysis errors without the plan dump. */
  static String message(Throwable e) {
    if (e instanceof AnalysisException a && !(e instanceof ParseException)) {
      return withoutSchemaTree(a.getSimpleMessage());
    }
    String m = e.getMessage();
    return m == null ? e.toString() : m.strip();
  }
}
