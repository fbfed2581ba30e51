package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.SparkSqlTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running BACKFILL stopped the ways a Spark user stops a statement: cancelling its job group (a
 * notebook's Cancel, PySpark's Ctrl-C cancels all jobs), and CANCEL BACKFILL from another session.
 */
class CancelSqlTest extends SparkSqlTest {
  private static final String SLOW = "dev.lancet.testing.udfs.SlowArea";
  @TempDir Path dir;

  private Path table(String name) {
    spark.sql("CREATE TABLE " + name + " (id INT, x INT, y INT)");
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      rows.append(i == 0 ? "" : ", ").append("(").append(i).append(", 2, 3)");
    }
    spark.sql("INSERT INTO " + name + " VALUES " + rows);
    spark.sql("ALTER TABLE " + name + " ADD COLUMN area USING UDF '" + SLOW + "'");
    Path calls = dir.resolve(name + "-calls.txt");
    System.setProperty("lancet.test.calls", calls.toString());
    return calls;
  }

  private static void awaitCalls(Path calls, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((!Files.exists(calls) || Files.readAllLines(calls).size() < n)
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private static CompletableFuture<List<Row>> backfillInGroup(
      SparkSession session, String table, String group) {
    return backfillInGroup(session, table, group, "ray");
  }

  private static CompletableFuture<List<Row>> backfillInGroup(
      SparkSession session, String table, String group, String engine) {
    return CompletableFuture.supplyAsync(
        () -> {
          session.sparkContext().setJobGroup(group, "a notebook cell", true);
          return session
              .sql(
                  "BACKFILL "
                      + table
                      + " (area) OPTIONS (batch_size = 5, concurrency = 1, checkpoint_interval ="
                      + " 0, engine = '"
                      + engine
                      + "')")
              .collectAsList();
        });
  }

  @Test
  void cancellingTheJobGroupStopsABackfillOnSparksExecutorsAndItResumes() throws Exception {
    Path calls = table("grouped_spark");
    CompletableFuture<List<Row>> running =
        backfillInGroup(spark, "grouped_spark", "cell-8", "spark");
    awaitCalls(calls, 8);

    String message = cancelGroup(running, "cell-8");

    assertTrue(
        message.startsWith(
            "[LANCET_BACKFILL_CANCELLED] column 'area': the backfill was cancelled (Spark: Job"),
        message);
    assertTrue(message.contains("job group cell-8"), message);
    assertEquals("cancelled", status("grouped_spark"));
    assertTheNextRunResumes("grouped_spark", calls, "spark");
  }

  /** The next run skips what the cancelled one had checkpointed (all but a batch) and finishes. */
  private static void assertTheNextRunResumes(String table, Path calls, String engine)
      throws Exception {
    long before = Files.readAllLines(calls).size();
    Row resumed =
        spark
            .sql(
                "BACKFILL " + table + " (area) OPTIONS (batch_size = 5, engine = '" + engine + "')")
            .first();
    assertTrue(
        resumed.getLong(resumed.fieldIndex("rows_skipped")) >= before - 5, "resumed: " + resumed);
    assertEquals(600L, spark.sql("SELECT sum(area) FROM " + table).first().getLong(0));
  }

  /** Cancels the job group and returns the message the running BACKFILL failed with. */
  private static String cancelGroup(CompletableFuture<List<Row>> running, String group) {
    spark.sparkContext().cancelJobGroup(group);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> running.get(60, TimeUnit.SECONDS));
    return e.getCause().getMessage();
  }

  @Test
  void cancelBackfillFromAnotherSessionStopsOneOnSparksExecutors() throws Exception {
    Path calls = table("other_spark");
    CompletableFuture<List<Row>> running = backfillInGroup(spark, "other_spark", "theirs", "spark");
    awaitCalls(calls, 8);
    String jobId = spark.sql("SHOW BACKFILL JOBS IN other_spark").first().getAs("job_id");

    SparkSession another = spark.newSession();
    another.sql("USE lancet.default");
    another.sql("CANCEL BACKFILL '" + jobId + "'").collect();

    ExecutionException e =
        assertThrows(ExecutionException.class, () -> running.get(60, TimeUnit.SECONDS));
    assertTrue(
        e.getCause().getMessage().contains("CANCEL BACKFILL '" + jobId + "'"),
        e.getCause().getMessage());
    assertEquals("cancelled", status("other_spark"));
  }

  private static String status(String table) {
    return spark.sql("SHOW BACKFILL JOBS IN " + table).collectAsList().get(0).getAs("status");
  }

  @Test
  void cancellingTheStatementsJobGroupStopsTheBackfill() throws Exception {
    Path calls = table("grouped");
    CompletableFuture<List<Row>> running = backfillInGroup(spark, "grouped", "cell-7");
    awaitCalls(calls, 8);

    String message = cancelGroup(running, "cell-7");

    assertTrue(
        message.startsWith(
            "[LANCET_BACKFILL_CANCELLED] column 'area': the backfill was cancelled (the Spark"
                + " job of this statement was cancelled)"),
        message);
    assertEquals("cancelled", status("grouped"));
    assertTheNextRunResumes("grouped", calls, "ray");
  }

  @Test
  void cancelBackfillFromAnotherSessionStopsIt() throws Exception {
    Path calls = table("other");
    CompletableFuture<List<Row>> running = backfillInGroup(spark, "other", "mine");
    awaitCalls(calls, 8);
    String jobId = spark.sql("SHOW BACKFILL JOBS IN other").first().getAs("job_id");

    SparkSession another = spark.newSession();
    another.sql("USE lancet.default");
    Row cancel = another.sql("CANCEL BACKFILL '" + jobId + "'").first();

    assertEquals("running", cancel.getAs("status"));
    assertTrue(((String) cancel.getAs("result")).startsWith("cancel requested"), cancel.toString());
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> running.get(60, TimeUnit.SECONDS));
    assertTrue(
        e.getCause().getMessage().contains("CANCEL BACKFILL '" + jobId + "'"),
        e.getCause().getMessage());
    assertEquals("cancelled", status("other"));
    assertEquals(
        "not running: nothing to cancel",
        another.sql("CANCEL BACKFILL '" + jobId + "' IN other").first().getAs("result"));
  }

  @Test
  void aBackfillWithWorkRunsItsStandingSparkJobAndOneWithNothingToDoRunsNone() throws Exception {
    spark.sql("CREATE TABLE standing (id INT, x INT, y INT)");
    spark.sql("INSERT INTO standing VALUES (1, 2, 3), (2, 4, 5)");
    spark.sql("ALTER TABLE standing ADD COLUMN area USING UDF 'dev.lancet.testing.udfs.Area'");
    List<String> groups = new java.util.concurrent.CopyOnWriteArrayList<>();
    org.apache.spark.scheduler.SparkListener jobs =
        new org.apache.spark.scheduler.SparkListener() {
          @Override
          public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
            String group = start.properties().getProperty("spark.jobGroup.id");
            if (group != null && group.startsWith("standing-")) {
              groups.add(group);
            }
          }
        };
    spark.sparkContext().addSparkListener(jobs);
    try {
      spark.sparkContext().setJobGroup("standing-work", "a cell with work", true);
      assertEquals(2L, spark.sql("BACKFILL standing (area)").first().getLong(1));
      spark.sparkContext().setJobGroup("standing-none", "a cell with nothing to do", true);
      assertEquals(0L, spark.sql("BACKFILL standing (area)").first().getLong(1));
      spark.sparkContext().clearJobGroup();
      // The listener bus delivers job starts asynchronously.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (groups.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(200);
      assertEquals(List.of("standing-work"), groups, "Spark jobs started, by job group");
    } finally {
      spark.sparkContext().removeSparkListener(jobs);
    }
  }

  @Test
  void cancellingAJobThatDoesNotExistSaysWhereItLooked() {
    Exception e = assertThrows(Exception.class, () -> spark.sql("CANCEL BACKFILL 'no-such-job'"));
    assertEquals(
        "[LANCET_JOB_NOT_FOUND] no backfill job 'no-such-job' in the Lance tables of the current"
            + " namespace; SHOW BACKFILL JOBS lists them",
        e.getMessage());
  }
}
