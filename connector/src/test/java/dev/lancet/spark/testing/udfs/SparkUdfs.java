package dev.lancet.spark.testing.udfs;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;

/**
 * A user's existing Spark UDF classes ({@code org.apache.spark.sql.api.java.UDF1} ... {@code
 * UDF22}), used as Lancet UDFs by their typed {@code call}: types from the generic signature,
 * inputs from INPUTS or the parameter names. Each counts its calls.
 */
public final class SparkUdfs {
  private SparkUdfs() {}

  /** x * y, as a Spark UDF2. */
  public static final class Area implements UDF2<Integer, Integer, Long> {
    public static final AtomicLong CALLS = new AtomicLong();

    @Override
    public Long call(Integer x, Integer y) {
      CALLS.incrementAndGet();
      return x == null || y == null ? null : (long) x * y;
    }
  }

  /** A label of x; its input is the column its parameter names (compiled with -parameters). */
  public static final class Label implements UDF1<Integer, String> {
    public static final AtomicLong CALLS = new AtomicLong();

    @Override
    public String call(Integer x) {
      CALLS.incrementAndGet();
      return x == null ? null : "x=" + x;
    }
  }

  /** x + y + z as a double, a UDF3 whose inputs are named by INPUTS. */
  public static final class Sum3 implements UDF3<Integer, Integer, Integer, Double> {
    @Override
    public Double call(Integer a, Integer b, Integer c) {
      return (double) a + b + c;
    }
  }
}
