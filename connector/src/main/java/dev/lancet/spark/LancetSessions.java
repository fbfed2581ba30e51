package dev.lancet.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.lancet.spark.catalog.LancetCatalog;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark settings that make a session a Lancet session: lance-spark's catalog over a
 * warehouse directory and both SQL extensions. The catalog is named {@value #CATALOG}, not
 * {@code lance}, because a catalog named {@code lance} captures {@code format("lance")} reads
 * and writes by path.
 */
public final class LancetSessions {
  /** Name of the Lance catalog Lancet configures. */
  public static final String CATALOG = "lancet";
  /** The namespace made current, so bare table names are Lance tables. */
  public static final String DEFAULT_NAMESPACE = "default";

  private LancetSessions() {}

  /** The settings for a Lance warehouse at {@code warehouse}. */
  public static Map<String, String> conf(Path warehouse) {
    return conf(warehouse.toAbsolutePath().toString(), Map.of());
  }

  /**
   * The settings for a Lance warehouse at {@code warehouseUri} (a directory or an object-store
   * URI such as {@code s3://bucket/warehouse}) with Lance storage options (endpoint, region,
   * credentials...), given to lance-spark's catalog as {@code storage.<key>}.
   */
  public static Map<String, String> conf(String warehouseUri, Map<String, String> storageOptions) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.sql.extensions",
        "org.lance.spark.extensions.LanceSparkSessionExtensions," + LancetSparkSessionExtensions.class.getName());
    conf.put("spark.sql.catalog." + CATALOG, LancetCatalog.class.getName());
    conf.put("spark.sql.catalog." + CATALOG + ".impl", "dir");
    conf.put("spark.sql.catalog." + CATALOG + ".root", warehouseUri);
    storageOptions.forEach((k, v) -> conf.put("spark.sql.catalog." + CATALOG + ".storage." + k, v));
    return conf;
  }

  /** Applies {@link #conf(Path)} to a builder. */
  public static SparkSession.Builder configure(SparkSession.Builder builder, Path warehouse) {
    conf(warehouse).forEach(builder::config);
    return builder;
  }

  /** Creates the default namespace if needed and makes it current. */
  public static void useDefaultNamespace(SparkSession spark) {
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + CATALOG + ".`" + DEFAULT_NAMESPACE + "`");
    spark.sql("USE " + CATALOG + ".`" + DEFAULT_NAMESPACE + "`");
  }
}
