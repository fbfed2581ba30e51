package dev.lancet.spark.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * The jars a console's session starts with: {@code --jars}, {@code spark.jars}, {@code --packages}.
 */
final class SessionJars {
  private SessionJars() {}

  /**
   * Adds the given jars, then {@code spark.jars} but the engine's own ({@code engineJars}: on this
   * JVM's class path already, and added to Spark's context at its start), then the resolved {@code
   * --packages}.
   */
  static void add(SparkSession spark, List<Path> given, List<Path> engineJars) {
    // As spark-sql does with --jars: the session's class loader (and Spark's executors) get them.
    // spark.jars given as --conf reaches Spark's executors but not this driver's class loader.
    Set<String> jars = new LinkedHashSet<>();
    given.forEach(j -> jars.add(j.toAbsolutePath().toString()));
    String confJars = spark.conf().getOption("spark.jars").getOrElse(() -> "");
    for (String j : confJars.split(",")) {
      if (!j.isBlank()) {
        jars.add(j.strip());
      }
    }
    // Adding one a second time made Spark warn "has been added already" at every start.
    engineJars.forEach(j -> jars.remove(j.toAbsolutePath().toString()));
    jars.forEach(j -> spark.sessionState().resourceLoader().addJar(j));
    addPackages(spark);
  }

  /**
   * As spark-sql does with --packages: each coordinate is resolved with its dependencies (Ivy, from
   * the Ivy and Maven caches first, then Maven Central and {@code spark.jars.repositories}) and the
   * jars join the session, as {@code ADD JAR 'ivy://...'} does. Registration pins them, so a
   * backfill needs no network afterwards.
   */
  private static void addPackages(SparkSession spark) {
    String packages = spark.conf().getOption("spark.jars.packages").getOrElse(() -> "");
    if (packages.isBlank()) {
      return;
    }
    // Spark's Ivy resolution for ivy:// jars reads its settings from system properties.
    for (String key : List.of("spark.jars.repositories", "spark.jars.ivy")) {
      spark.conf().getOption(key).foreach(v -> System.setProperty(key, v));
    }
    // spark.jars.excludes (--exclude-packages) leaves those modules and what only they need out.
    String excludes =
        String.join(
            ",",
            java.util.Arrays.stream(
                    spark.conf().getOption("spark.jars.excludes").getOrElse(() -> "").split(","))
                .map(String::strip)
                .filter(e -> !e.isEmpty())
                .toList());
    String query = "?transitive=true" + (excludes.isEmpty() ? "" : "&exclude=" + excludes);
    for (String coordinate : packages.split(",")) {
      if (!coordinate.isBlank()) {
        spark.sessionState().resourceLoader().addJar("ivy://" + coordinate.strip() + query);
      }
    }
  }
}
