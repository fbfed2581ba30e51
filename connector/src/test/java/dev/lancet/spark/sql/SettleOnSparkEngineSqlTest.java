package dev.lancet.spark.sql;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link SettleSqlTest}'s cases with every backfill on Spark's executors (the session's engine):
 * the same rows computed per column, the same UDF calls and the same table versions as on Ray.
 */
class SettleOnSparkEngineSqlTest extends SettleSqlTest {
  @BeforeAll
  static void onSparksExecutors() {
    spark.conf().set("spark.lancet.backfill.engine", "spark");
  }
}
