package dev.lancet.spark.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the SQL test classes: one local Spark session with Lancet per class ({@link
 * SparkTestSession}).
 */
public abstract class SparkSqlTest {
  protected static SparkTestSession session;
  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    session = new SparkTestSession();
    spark = session.spark();
  }

  @AfterAll
  static void stopSpark() {
    session.close();
  }

  /** The Lance version of the table Spark resolves {@code table} to. */
  protected static long tableVersion(String table) {
    return dev.lancet.testing.LanceTestReads.version(
        dev.lancet.spark.catalog.TableNameResolver.resolve(
                spark, java.util.Arrays.asList(table.split("\\.")))
            .datasetUri());
  }
}
