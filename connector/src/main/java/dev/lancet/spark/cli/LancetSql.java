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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;

/**
 * {@code lancet-sql}: a spark-sql-like console on a local Lance warehouse with Lancet's SQL
 * extension and embedded Ray. Results go to stdout as tables; timings and errors to stderr.
 */
public final class LancetSql {
  private static final String PROMPT = "lancet-sql> ";
  private static final String CONTINUE = "          > ";

  /** Whether a statement runs now (Ctrl-C cancels it), and when Ctrl-C was last pressed. */
  private static volatile boolean running;

  private static volatile boolean discardInput;
  private static volatile long lastInterrupt;

  private LancetSql() {}

  public static void main(String[] args) {
    // Before anything logs: quiet console logging unless the user configured log4j.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty(
          "log4j2.configurationFile", "classpath:dev/lancet/spark/cli/log4j2-cli.properties");
    }
    int code = run(Arrays.asList(args), System.in, System.out, System.err);
    System.exit(code);
  }

  /** Runs the console; returns the process exit code. */
  public static int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
    CliOptions options;
    try {
      options = CliOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      err.println("Error: " + e.getMessage());
      err.println(CliOptions.USAGE);
      return 2;
    }
    if (options.help()) {
      out.println(CliOptions.USAGE);
      return 0;
    }
    if (options.printSparkConf()) {
      out.print(sparkConf(options));
      return 0;
    }
    String script = null;
    if (options.file() != null) {
      try {
        script = Files.readString(options.file());
      } catch (IOException e) {
        err.println("Error: cannot read " + options.file() + ": " + e.getMessage());
        return 2;
      }
    } else if (options.sql() != null) {
      script = options.sql();
    }
    if (Files.exists(options.warehouse()) && !Files.isDirectory(options.warehouse())) {
      err.println("Error: the warehouse " + options.warehouse() + " is a file, not a directory");
      return 2;
    }
    SparkSession spark = null;
    try {
      Files.createDirectories(options.warehouse());
      spark = startSession(options);
      if (System.console() != null) {
        ProgressListeners.set(ProgressListeners.bar(err));
      }
      if (script != null) {
        onInterrupt(spark, false, out, err);
        return runScript(spark, script, options.verbose(), out, err);
      }
      console(spark, in, options.verbose(), out, err);
      return 0;
    } catch (Exception e) {
      report(e, options.verbose(), err);
      return 1;
    } finally {
      if (spark != null) {
        spark.stop();
      }
      Backfill.shutdownWorkers();
    }
  }

  /** The interactive console: JLine on a terminal, plain lines from a pipe. */
  private static void console(
      SparkSession spark, InputStream in, boolean verbose, PrintStream out, PrintStream err)
      throws IOException {
    boolean terminal = in == System.in && System.console() != null;
    try (Lines lines =
        terminal
            ? ConsoleLines.open(
                historyFile(),
                () -> {
                  // at the prompt JLine's reader takes Ctrl-C itself (the callback below)
                  if (running) {
                    interrupted(spark, true, out, err);
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
        onInterrupt(spark, true, out, err);
      }
      interactive(spark, lines, verbose, out, err);
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

  /** The client settings: the bundle jar (named by the launcher) first, then the user's jars. */
  static String sparkConf(CliOptions options) {
    List<Path> jars = new ArrayList<>();
    String bundle = System.getProperty("lancet.bundle.jar");
    if (bundle != null && !bundle.isBlank()) {
      jars.add(Path.of(bundle));
    }
    jars.addAll(options.jars());
    Map<String, String> conf = LancetSessions.clientConf(options.warehouse(), jars);
    conf.putAll(options.conf());
    return LancetSessions.propertiesFile(conf);
  }

  private static SparkSession startSession(CliOptions options) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("lancet-sql")
            .master(options.master())
            .config("spark.ui.enabled", "false");
    LancetSessions.configure(builder, options.warehouse());
    options.conf().forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    LancetSessions.useDefaultNamespace(spark);
    // As spark-sql does with --jars: the session's class loader (and Spark's executors) get them.
    // spark.jars given as --conf reaches Spark's executors but not this driver's class loader.
    java.util.Set<String> jars = new java.util.LinkedHashSet<>();
    options.jars().forEach(j -> jars.add(j.toAbsolutePath().toString()));
    String confJars = spark.conf().getOption("spark.jars").getOrElse(() -> "");
    for (String j : confJars.split(",")) {
      if (!j.isBlank()) {
        jars.add(j.strip());
      }
    }
    jars.forEach(j -> spark.sessionState().resourceLoader().addJar(j));
    return spark;
  }

  /**
   * Ctrl-C as in spark-sql: it cancels the running statement (its backfills stop within a batch,
   * its Spark jobs are cancelled) and the console goes on; at an idle prompt it drops the statement
   * being typed. Pressed again within two seconds, it quits.
   */
  private static void onInterrupt(
      SparkSession spark, boolean interactive, PrintStream out, PrintStream err) {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("INT"), signal -> interrupted(spark, interactive, out, err));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // no SIGINT here (not a terminal's process): Ctrl-C ends the JVM as usual
    }
  }

  private static void interrupted(
      SparkSession spark, boolean interactive, PrintStream out, PrintStream err) {
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

  private static boolean twiceInARow() {
    long now = System.currentTimeMillis();
    boolean again = now - lastInterrupt < 2_000;
    lastInterrupt = now;
    return again;
  }

  private static int runScript(
      SparkSession spark, String script, boolean verbose, PrintStream out, PrintStream err) {
    for (String statement : SqlScripts.split(script)) {
      if (!execute(spark, statement, verbose, out, err)) {
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

  private static void interactive(
      SparkSession spark, Lines lines, boolean verbose, PrintStream out, PrintStream err)
      throws IOException {
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
          execute(spark, statement, verbose, out, err);
        }
        buffer.setLength(0);
      }
    }
  }

  /** Runs one statement and prints its result; false if it failed. */
  private static boolean execute(
      SparkSession spark, String statement, boolean verbose, PrintStream out, PrintStream err) {
    long start = System.nanoTime();
    running = true;
    try {
      Dataset<Row> result = spark.sql(statement);
      List<Row> rows = result.schema().isEmpty() ? List.of() : result.collectAsList();
      if (!result.schema().isEmpty()) {
        out.print(ResultTable.format(result.schema(), rows));
      }
      out.flush();
      ProgressListeners.endLine(err);
      err.printf(
          Locale.ROOT,
          "Time taken: %.3f seconds%s%n",
          (System.nanoTime() - start) / 1e9,
          result.schema().isEmpty() ? "" : ", fetched " + rows.size() + " row(s)");
      return true;
    } catch (Exception e) {
      report(e, verbose, err);
      return false;
    } finally {
      running = false;
    }
  }

  private static void report(Exception e, boolean verbose, PrintStream err) {
    ProgressListeners.endLine(err);
    err.println("Error: " + message(e));
    if (verbose) {
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
