package dev.lancet.spark.sql;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link RecomputeSqlTest}'s cases with every backfill on Spark's executors (the session's engine):
 * exact incremental recompute, filters and error policies count the same rows and UDF calls as on
 * Ray, with the same messages.
 */
class RecomputeOnSparkEngineSqlTest extends RecomputeSqlTest {
  @BeforeAll
  static void onSparksExecutors() {
    spark.conf().set("spark.lancet.backfill.engine", "spark");
  }
}
