package dev.lancet.spark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.testing.udfs.Counting;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * BACKFILL statements over the counting UDFs, checked by the rows they report and the calls they
 * made.
 */
public final class CountedBackfills {
  private CountedBackfills() {}

  /** Runs a BACKFILL statement and checks it computed {@code rows} rows with as many UDF calls. */
  public static Row run(SparkSession spark, String sql, long rows) {
    Counting.CALLS.set(0);
    Row r = spark.sql(sql).first();
    assertEquals(rows, r.getLong(r.fieldIndex("rows_computed")), sql + ": " + r);
    assertEquals(rows, Counting.CALLS.get(), sql + ": UDF calls");
    return r;
  }
}
