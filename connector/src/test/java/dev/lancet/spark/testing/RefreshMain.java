package dev.lancet.spark.testing;

import dev.lancet.testing.udfs.Counting;
import java.util.Map;

/**
 * A second session in a child JVM (for the kill -9 test of a refresh): opens the warehouse {@code
 * args[0]}, makes each counting UDF call sleep {@code args[2]} ms, prints {@code refreshing} and
 * refreshes the view {@code args[1]} one source fragment per commit.
 */
public final class RefreshMain {
  private RefreshMain() {}

  public static void main(String[] args) {
    Counting.delayMillis = Long.parseLong(args[2]);
    try (SparkTestSession session = new SparkTestSession(args[0], Map.of())) {
      System.out.println("refreshing");
      System.out.flush();
      session
          .spark()
          .sql("REFRESH MATERIALIZED VIEW " + args[1] + " OPTIONS (fragments_per_commit = 1)")
          .collectAsList();
      System.out.println("refreshed");
    }
  }
}
