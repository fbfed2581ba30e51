package dev.lancet.benchmarks;

import java.util.Arrays;

/** Summaries of repeated measurements, one definition for every benchmark that reports them. */
public final class Stats {
  private Stats() {}

  /** The median: the middle value, or the mean of the two middle values of an even count. */
  public static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
