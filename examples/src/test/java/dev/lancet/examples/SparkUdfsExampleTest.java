package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.spark.testing.CliRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark UDF example script: a UDF2 class as a virtual column, through lancet-sql. */
class SparkUdfsExampleTest {
  @TempDir Path warehouse;

  @Test
  void aSparkUdf2ClassIsAVirtualColumnThroughTheExampleScript() {
    CliRun run = CliRun.run(warehouse, "", "-f", "sql/spark_udfs.sql");
    assertEquals(0, run.code(), run.err());
    // The SELECT's rows: | name | ratio |
    List<String> rows = run.rows("hd|sd|square", "=");
    assertEquals(List.of("hd=1.778", "sd=1.333", "square=1.0"), rows, run.out());
  }
}
