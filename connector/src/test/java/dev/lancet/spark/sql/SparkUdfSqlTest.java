package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.spark.testing.udfs.SparkUdfs;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A user's existing Spark UDF classes (UDF1 ... UDF22) as virtual columns: the typed {@code call}
 * is the UDF, the output type comes from the generic signature, the inputs from INPUTS or the
 * parameter names; computed once per row on Ray (in the driver's JVM here) and on Spark's
 * executors.
 */
class SparkUdfSqlTest extends SparkSqlTest {
  private static final String AREA = SparkUdfs.Area.class.getName();
  private static final String LABEL = SparkUdfs.Label.class.getName();
  private static final String SUM3 = SparkUdfs.Sum3.class.getName();

  private void table(String name) {
    spark.sql("CREATE TABLE " + name + " (id INT, x INT, y INT)");
    spark.sql("INSERT INTO " + name + " SELECT id, id % 7, id % 5 FROM range(0, 300) AS t(id)");
  }

  private String typeOf(String table, String column) {
    return spark.sql("DESCRIBE TABLE " + table).collectAsList().stream()
        .filter(r -> r.getString(0).equals(column))
        .map(r -> r.getString(1))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aSparkUdf2IsAVirtualColumnTypedByItsGenericsAndComputedOncePerRow() {
    table("spark_area");
    spark.sql("ALTER TABLE spark_area ADD COLUMN area USING UDF '" + AREA + "' INPUTS (x, y)");
    assertEquals("bigint", typeOf("spark_area", "area"));
    SparkUdfs.Area.CALLS.set(0);

    Row result = spark.sql("BACKFILL spark_area (area)").first();

    assertEquals(300L, result.getLong(1));
    assertEquals(300L, SparkUdfs.Area.CALLS.get(), "each row once");
    assertEquals(
        0L,
        spark
            .sql("SELECT count(*) FROM spark_area WHERE area IS NULL OR area != x * y")
            .first()
            .getLong(0));
    assertEquals(0L, spark.sql("BACKFILL spark_area (area)").first().getLong(1));
    assertEquals(300L, SparkUdfs.Area.CALLS.get(), "a rerun calls nothing");
  }

  @Test
  void aSparkUdf1ReadsTheColumnItsParameterNamesWithoutInputs() {
    table("spark_label");
    spark.sql("ALTER TABLE spark_label ADD COLUMN label USING UDF '" + LABEL + "'");
    assertEquals("string", typeOf("spark_label", "label"));
    SparkUdfs.Label.CALLS.set(0);

    spark.sql("BACKFILL spark_label (label) WHERE id < 100");

    assertEquals(100L, SparkUdfs.Label.CALLS.get());
    List<Row> rows =
        spark
            .sql("SELECT id, x, label FROM spark_label WHERE id IN (3, 150) ORDER BY id")
            .collectAsList();
    assertEquals("x=3", rows.get(0).getString(2));
    assertEquals(null, rows.get(1).get(2), "outside the WHERE: not computed yet");
  }

  @Test
  void aSparkUdf3RunsOnSparksExecutorsToo() {
    table("spark_sum");
    spark.sql("ALTER TABLE spark_sum ADD COLUMN total USING UDF '" + SUM3 + "' INPUTS (id, x, y)");
    assertEquals("double", typeOf("spark_sum", "total"));

    Row result = spark.sql("BACKFILL spark_sum (total) OPTIONS (engine = 'spark')").first();

    assertEquals(300L, result.getLong(1));
    assertEquals(
        0L,
        spark
            .sql("SELECT count(*) FROM spark_sum WHERE total IS NULL OR total != id + x + y")
            .first()
            .getLong(0));
  }
}
