package dev.lancet.spark.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code lancet-sql} was asked to do.
 *
 * @param sql the statements of {@code -e}, or null
 * @param file the script of {@code -f}, or null
 * @param warehouse the Lance warehouse directory
 * @param master the Spark master
 * @param conf extra Spark settings, applied after Lancet's own
 * @param jars jars to add to the session (UDF classes and what they use), as {@code ADD JAR} does
 * @param verbose print stack traces with errors
 * @param help print usage and exit
 * @param printSparkConf print the settings of a Spark client of the user's own and exit
 */
record CliOptions(
    String sql,
    Path file,
    Path warehouse,
    String master,
    Map<String, String> conf,
    List<Path> jars,
    boolean verbose,
    boolean help,
    boolean printSparkConf) {
  static final String USAGE =
      String.join(
          "\n",
          "Usage: lancet-sql [options]",
          "  -e <sql>            run the statements and exit",
          "  -f <file>           run the statements of a file and exit",
          "  --warehouse <dir>   Lance warehouse directory (default $LANCET_WAREHOUSE or"
              + " ./lancet-warehouse)",
          "  --master <url>      Spark master (default local[*])",
          "  --conf <k=v>        a Spark setting; may be repeated",
          "  --jars <a.jar,...>  jars with UDF classes (and what they use), added as ADD JAR adds"
              + " them",
          "  --packages <g:a:v,...>  Maven coordinates of UDF jars, resolved with their"
              + " dependencies (as spark-sql --packages)",
          "  --repositories <url,...>  more Maven repositories for --packages",
          "  --exclude-packages <g:a,...>  dependencies of --packages to leave out (as"
              + " spark-sql --exclude-packages)",
          "  --verbose           print stack traces with errors",
          "  --print-spark-conf  print the Spark settings of this warehouse, the bundle jar and"
              + " --jars for",
          "                      spark-sql, spark-submit or pyspark (use: --properties-file <that"
              + " output>)",
          "  -h, --help          this help",
          "With neither -e nor -f, statements are read from an interactive prompt; end each with"
              + " ';'.");

  static CliOptions parse(List<String> args, Map<String, String> env) {
    String sql = null;
    Path file = null;
    String warehouse = env.getOrDefault("LANCET_WAREHOUSE", "lancet-warehouse");
    String master = "local[*]";
    Map<String, String> conf = new LinkedHashMap<>();
    List<Path> jars = new java.util.ArrayList<>();
    boolean verbose = false;
    boolean help = false;
    boolean printSparkConf = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "-e" -> sql = value(args, ++i, a);
        case "-f" -> file = Path.of(value(args, ++i, a));
        case "--warehouse" -> warehouse = value(args, ++i, a);
        case "--master" -> master = value(args, ++i, a);
        case "--conf" -> {
          String kv = value(args, ++i, a);
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--conf takes key=value, got '" + kv + "'");
          }
          conf.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        case "--jars" -> {
          for (String jar : value(args, ++i, a).split(",")) {
            if (!jar.isBlank()) {
              jars.add(Path.of(jar.strip()));
            }
          }
        }
        case "--packages" -> conf.put("spark.jars.packages", value(args, ++i, a));
        case "--repositories" -> conf.put("spark.jars.repositories", value(args, ++i, a));
        case "--exclude-packages" -> conf.put("spark.jars.excludes", value(args, ++i, a));
        case "--verbose", "-v" -> verbose = true;
        case "-h", "--help" -> help = true;
        case "--print-spark-conf" -> printSparkConf = true;
        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    if (sql != null && file != null) {
      throw new IllegalArgumentException("give -e or -f, not both");
    }
    for (Path jar : jars) {
      if (!java.nio.file.Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("--jars: no such file: " + jar);
      }
    }
    return new CliOptions(
        sql,
        file,
        Path.of(warehouse),
        master,
        conf,
        List.copyOf(jars),
        verbose,
        help,
        printSparkConf);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }
}
