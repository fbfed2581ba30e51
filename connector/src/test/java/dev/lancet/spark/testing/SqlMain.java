package dev.lancet.spark.testing;

import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Another session in a child JVM, with the test's class path only (none of the jars the test's
 * session added): opens the warehouse {@code args[0]}, runs each following argument as a SQL
 * statement and prints each result row as {@code row: name=value, ...}.
 */
public final class SqlMain {
  private SqlMain() {}

  public static void main(String[] args) {
    try (SparkTestSession session = new SparkTestSession(args[0], Map.of())) {
      for (String sql : Arrays.asList(args).subList(1, args.length)) {
        for (Row r : session.spark().sql(sql).collectAsList()) {
          StringBuilder line = new StringBuilder("row:");
          String[] names = r.schema().fieldNames();
          for (int i = 0; i < names.length; i++) {
            line.append(i == 0 ? " " : ", ").append(names[i]).append('=').append(r.get(i));
          }
          System.out.println(line);
        }
      }
      System.out.flush();
    }
  }
}
