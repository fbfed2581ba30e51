package dev.lancet.spark;

import dev.lancet.spark.catalog.LancetCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark settings that make a session a Lancet session: lance-spark's catalog over a warehouse
 * directory and both SQL extensions. The catalog is named {@value #CATALOG}, not {@code lance},
 * because a catalog named {@code lance} captures {@code format("lance")} reads and writes by path.
 */
public final class LancetSessions {
  /** Name of the Lance catalog Lancet configures. */
  public static final String CATALOG = "lancet";

  /** The catalog's default namespace: bare table names are its tables in every client. */
  public static final String DEFAULT_NAMESPACE = LancetCatalog.DEFAULT_NAMESPACE;

  private LancetSessions() {}

  /** The settings for a Lance warehouse at {@code warehouse}. */
  public static Map<String, String> conf(Path warehouse) {
    return conf(warehouse.toAbsolutePath().toString(), Map.of());
  }

  /**
   * The settings for a Lance warehouse at {@code warehouseUri} (a directory or an object-store URI
   * such as {@code s3://bucket/warehouse}) with Lance storage options (endpoint, region,
   * credentials...), given to lance-spark's catalog as {@code storage.<key>}.
   */
  public static Map<String, String> conf(String warehouseUri, Map<String, String> storageOptions) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put(
        "spark.sql.extensions",
        "org.lance.spark.extensions.LanceSparkSessionExtensions,"
            + LancetSparkSessionExtensions.class.getName());
    conf.put("spark.sql.catalog." + CATALOG, LancetCatalog.class.getName());
    conf.put("spark.sql.catalog." + CATALOG + ".impl", "dir");
    conf.put("spark.sql.catalog." + CATALOG + ".root", warehouseUri);
    // Bare names are the catalog's tables (its default namespace), as in every documented client.
    conf.put("spark.sql.defaultCatalog", CATALOG);
    storageOptions.forEach((k, v) -> conf.put("spark.sql.catalog." + CATALOG + ".storage." + k, v));
    return conf;
  }

  /**
   * The JVM options a Lancet driver needs (Spark's module opens and Ray's), as one line for {@code
   * spark.driver.extraJavaOptions}; the jar carries them (the parent pom's {@code
   * lancet.jvm.flags}).
   */
  public static String driverJavaOptions() {
    try (InputStream in = LancetSessions.class.getResourceAsStream("jvm-flags.txt")) {
      if (in == null) {
        throw new IllegalStateException("jvm-flags.txt is missing from Lancet's connector jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Everything a Spark client of its own ({@code spark-sql}, {@code spark-submit}, {@code pyspark})
   * needs for Lancet, in the format of {@code --properties-file}: {@link #conf(Path)}, the driver's
   * JVM options, and {@code jars} (the bundle jar and UDF jars) on the driver's class path and in
   * {@code spark.jars}.
   */
  public static Map<String, String> clientConf(Path warehouse, List<Path> jars) {
    Map<String, String> conf = new LinkedHashMap<>();
    if (!jars.isEmpty()) {
      List<String> paths = jars.stream().map(j -> j.toAbsolutePath().toString()).toList();
      conf.put("spark.jars", String.join(",", paths));
      conf.put("spark.driver.extraClassPath", String.join(java.io.File.pathSeparator, paths));
    }
    conf.put("spark.driver.extraJavaOptions", driverJavaOptions());
    conf.putAll(executorConf(jars));
    conf.putAll(conf(warehouse));
    return conf;
  }

  /**
   * What executors of their own (a cluster's: engine = 'spark', and writes) need for Lancet: {@code
   * jars} (the bundle first) before Spark's own jars, whose Arrow is older than Lance's (the paths
   * must hold the jars on every worker), and Lancet's JVM options.
   */
  public static Map<String, String> executorConf(List<Path> jars) {
    Map<String, String> conf = new LinkedHashMap<>();
    if (!jars.isEmpty()) {
      conf.put(
          "spark.executor.extraClassPath",
          jars.stream()
              .map(j -> j.toAbsolutePath().toString())
              .collect(Collectors.joining(java.io.File.pathSeparator)));
    }
    conf.put("spark.executor.extraJavaOptions", driverJavaOptions());
    return conf;
  }

  /** {@code conf} as the lines of a Spark properties file. */
  public static String propertiesFile(Map<String, String> conf) {
    return conf.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** Applies {@link #conf(Path)} to a builder. */
  public static SparkSession.Builder configure(SparkSession.Builder builder, Path warehouse) {
    conf(warehouse).forEach(builder::config);
    return builder;
  }

  /**
   * Makes the catalog's default namespace current (a session configured without {@code
   * spark.sql.defaultCatalog}); the catalog creates the namespace when it starts.
   */
  public static void useDefaultNamespace(SparkSession spark) {
    spark.sql("USE " + CATALOG + ".`" + DEFAULT_NAMESPACE + "`");
  }
}
