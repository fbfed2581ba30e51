package dev.lancet.benchmarks.backfill;

import dev.lancet.benchmarks.HeavyHash;
import dev.lancet.spark.LancetSessions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * The Spark session of a contender process: local mode on every core, Lancet's settings, and a flat
 * Lance catalog {@value #CATALOG} over the directory the benchmark copies tables into, so a table
 * {@code <root>/t.lance} is {@code bench.t}.
 */
public final class BenchSpark {
  static final String CATALOG = "bench";

  private BenchSpark() {}

  public static SparkSession start(Path catalogRoot, int cores) throws Exception {
    // Lancet's default catalog is unused here; it lives in the benchmark's own directory, which the
    // benchmark removes, not in the temp directory.
    Path warehouse = Files.createDirectories(catalogRoot.resolve(".lancet-warehouse"));
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[" + cores + "]")
            .appName("lancet-benchmark")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", String.valueOf(cores))
            .config("spark.sql.catalog." + CATALOG, "org.lance.spark.LanceNamespaceSparkCatalog")
            .config("spark.sql.catalog." + CATALOG + ".impl", "dir")
            .config("spark.sql.catalog." + CATALOG + ".root", catalogRoot.toString())
            .config("spark.sql.catalog." + CATALOG + ".manifest_enabled", "false");
    SparkSession spark = LancetSessions.configure(builder, warehouse).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    // The Spark user's versions of the two UDFs, as Java UDFs.
    spark
        .udf()
        .register(
            "bench_area",
            (UDF2<Integer, Integer, Long>) (x, y) -> x == null || y == null ? null : (long) x * y,
            DataTypes.LongType);
    spark
        .udf()
        .register(
            "bench_embedding",
            (UDF1<String, float[]>) BenchSpark::embed,
            DataTypes.createArrayType(DataTypes.FloatType, false));
    return spark;
  }

  private static float[] embed(String text) {
    if (text == null) {
      return null;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    float[] out = new float[HeavyHash.DIM];
    HeavyHash.embed(bytes, 0, bytes.length, out, 0, new int[HeavyHash.DIM]);
    return out;
  }

  /** The catalog name of the table at {@code <root>/<name>.lance}. */
  public static String table(String uri) {
    String name = Path.of(uri).getFileName().toString();
    return CATALOG + ".`" + name.substring(0, name.length() - ".lance".length()) + "`";
  }
}
