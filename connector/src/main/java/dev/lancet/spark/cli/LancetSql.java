package dev.lancet.spark.cli;

import dev.lancet.spark.LancetSessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code lancet-sql}: a spark-sql-like console on a local Lance warehouse with Lancet's SQL
 * extension and embedded Ray. This is the entry point ({@code bin/lancet-sql} runs its main): it
 * reads the options, answers {@code --help} and {@code --print-spark-conf}, and hands the rest to a
 * {@link LancetConsole}.
 */
public final class LancetSql {
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
    return new LancetConsole(options, out, err).run(script, in);
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
}
