package dev.lancet.spark.sql;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link ErrorsSqlTest}'s cases with every backfill on Spark's executors (the session's engine):
 * failed rows recorded in _lancet/errors, SHOW BACKFILL ERRORS and the error budget as on Ray.
 */
class ErrorsOnSparkEngineSqlTest extends ErrorsSqlTest {
  @BeforeAll
  static void onSparksExecutors() {
    spark.conf().set("spark.lancet.backfill.engine", "spark");
  }
}
