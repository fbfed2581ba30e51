package dev.lancet.examples;

import org.apache.spark.sql.api.java.UDF2;

/**
 * A Spark UDF a user already has ({@code UDF2}), used as a Lancet virtual column as it is: its
 * typed {@code call} is the UDF, the output type ({@code double}) comes from the generic signature,
 * the inputs ({@code x}, {@code y}) from the parameter names. It needs Spark's classes where it
 * runs: Ray in the driver's JVM (the default) or Spark's executors ({@code engine = 'spark'}).
 */
public final class AspectRatio implements UDF2<Integer, Integer, Double> {
  @Override
  public Double call(Integer x, Integer y) {
    return x == null || y == null || y == 0 ? null : (double) x / y;
  }
}
