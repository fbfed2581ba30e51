package dev.lancet.spark.testing;

import dev.lancet.spark.LancetSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session per test class, with Lancet's catalog over a fresh temp warehouse. Create
 * it in {@code @BeforeAll} and close it in {@code @AfterAll}.
 */
public final class SparkTestSession implements AutoCloseable {
  private final Path warehouse;
  private final SparkSession spark;
  private final ClassLoader threadLoader = Thread.currentThread().getContextClassLoader();

  public SparkTestSession() {
    this(null, java.util.Map.of());
  }

  /**
   * A session whose warehouse is {@code warehouseUri} (an object-store URI) with these storage
   * options, or a fresh temp directory when it is null.
   */
  public SparkTestSession(String warehouseUri, java.util.Map<String, String> storageOptions) {
    try {
      this.warehouse = Files.createTempDirectory("lancet-test-warehouse");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName("lancet-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2");
    LancetSessions.conf(warehouseUri == null ? warehouse.toString() : warehouseUri, storageOptions)
        .forEach(builder::config);
    this.spark = builder.getOrCreate();
    LancetSessions.useDefaultNamespace(spark);
  }

  public SparkSession spark() {
    return spark;
  }

  public Path warehouse() {
    return warehouse;
  }

  @Override
  public void close() {
    spark.stop();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    Thread.currentThread()
        .setContextClassLoader(threadLoader); // ADD JAR replaced it with the session's
    try (Stream<Path> files = Files.walk(warehouse)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
