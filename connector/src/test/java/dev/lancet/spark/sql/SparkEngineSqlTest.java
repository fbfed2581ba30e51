package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.backfill.BackfillProgress;
import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.ops.ProgressListeners;
import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.udfs.Counting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BACKFILL on Spark's executors ({@code engine = 'spark'}) means what it means on Ray: the same
 * values, each row computed once, nothing again on a rerun, only new rows after an INSERT, the
 * filter, the error policy; the job records the executors that computed. Local mode here: the
 * executors share this JVM, so the UDF's calls are counted.
 */
class SparkEngineSqlTest extends SparkSqlTest {
  private static final String AREA = "dev.lancet.testing.udfs.Counting$Area";
  private static final String PACED = "dev.lancet.testing.udfs.Paced";

  @BeforeEach
  void reset() {
    Counting.CALLS.set(0);
    Counting.failFrom = Integer.MAX_VALUE;
    Counting.HOOK.set(null);
    spark.conf().unset("spark.lancet.backfill.engine");
  }

  private static void table(String name) {
    spark.sql("CREATE TABLE " + name + " (id INT, x INT, y INT)");
    insertParts(name, 4, 100, "id, id % 7, 3");
    spark.sql("ALTER TABLE " + name + " ADD COLUMN area USING UDF '" + AREA + "'");
  }

  /**
   * {@code parts} INSERTs of {@code rows} ids each (from 0 on), each row {@code select} of its id.
   */
  private static void insertParts(String table, int parts, int rows, String select) {
    for (int part = 0; part < parts; part++) {
      spark.sql(
          "INSERT INTO "
              + table
              + " SELECT "
              + select
              + " FROM range("
              + part * rows
              + ", "
              + (part + 1) * rows
              + ") AS t(id)");
    }
  }

  private static Row backfill(String sql) {
    Counting.CALLS.set(0);
    List<Row> rows = spark.sql(sql).collectAsList();
    assertEquals(1, rows.size(), sql);
    return rows.get(0);
  }

  private static long computed(Row r) {
    return r.getLong(r.fieldIndex("rows_computed"));
  }

  private static long version(String table) {
    return LanceTestReads.version(
        TableNameResolver.resolve(spark, Arrays.asList(table.split("\\."))).datasetUri());
  }

  private static List<Row> areas(String table) {
    return spark.sql("SELECT id, area FROM " + table + " ORDER BY id").collectAsList();
  }

  @Test
  void theSparkEngineComputesWhatRayComputesEachRowOnce() throws Exception {
    table("on_ray");
    table("on_spark");
    Map<String, Long> accumulated = new java.util.concurrent.ConcurrentHashMap<>();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onStageCompleted(SparkListenerStageCompleted stage) {
            scala.collection.JavaConverters.mapAsJavaMap(stage.stageInfo().accumulables())
                .values()
                .forEach(
                    a -> {
                      if (a.name().isDefined() && a.name().get().startsWith("lancet area:")) {
                        accumulated.merge(
                            a.name().get(), Long.parseLong(a.value().get().toString()), Long::sum);
                      }
                    });
          }
        };
    spark.sparkContext().addSparkListener(listener);
    Row ray = backfill("BACKFILL on_ray (area)");
    assertEquals(400, computed(ray));
    assertEquals(400, Counting.CALLS.get());
    Row onSpark = backfill("BACKFILL on_spark (area) OPTIONS (engine = 'spark')");
    assertEquals(400, computed(onSpark));
    assertEquals(400, Counting.CALLS.get(), "each row once on the executors");
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.sparkContext().removeSparkListener(listener);
    assertEquals(
        0L,
        accumulated.remove("lancet area: rows in progress on the executor"),
        "0 once every task has ended");
    Long computeMicros = accumulated.remove("lancet area: compute time (us)");
    assertTrue(
        computeMicros != null && computeMicros > 0, "the tasks' compute time: " + computeMicros);
    assertEquals(
        Map.of(
            "lancet area: rows computed", 400L,
            "lancet area: rows skipped", 0L,
            "lancet area: rows failed", 0L),
        accumulated,
        "Spark's UI shows the rows");
    assertEquals(areas("on_ray"), areas("on_spark"));
    assertEquals(
        0L,
        spark
            .sql("SELECT count(*) FROM on_spark WHERE area <> x * y OR area IS NULL")
            .first()
            .getLong(0));

    long before = version("on_spark");
    Row again = backfill("BACKFILL on_spark (area) OPTIONS (engine = 'spark')");
    assertEquals(0, computed(again));
    assertEquals(0, Counting.CALLS.get());
    assertEquals(before, version("on_spark"), "nothing to do, nothing committed");

    spark.sql("INSERT INTO on_spark SELECT id, id % 7, 3 FROM range(400, 450) AS t(id)");
    Row incremental = backfill("BACKFILL on_spark (area) OPTIONS (engine = 'spark')");
    assertEquals(50, computed(incremental));
    assertEquals(50, Counting.CALLS.get(), "only the new rows");
  }

  @Test
  void theSessionConfChoosesTheEngineAndAFilterHolds() {
    table("by_conf");
    spark.conf().set("spark.lancet.backfill.engine", "spark");
    Row filtered = backfill("BACKFILL by_conf (area) WHERE x < 3");
    long expected = spark.sql("SELECT count(*) FROM by_conf WHERE x < 3").first().getLong(0);
    assertEquals(expected, computed(filtered));
    assertEquals(expected, Counting.CALLS.get());
    assertEquals(expected, spark.sql("SELECT count(area) FROM by_conf").first().getLong(0));
    String code =
        spark.sql("SHOW BACKFILL JOBS IN by_conf").collectAsList().stream()
            .map(Row::toString)
            .reduce("", String::concat);
    assertTrue(code.contains("executor driver"), "the job names its executors: " + code);
    assertTrue(code.contains("engine spark"), "the job names its engine: " + code);
  }

  @Test
  void aUdfThatFailsFailsTheBackfillInOneLineAndCommitsNothing() {
    spark.sql("CREATE TABLE seven (id INT)");
    spark.sql("INSERT INTO seven SELECT id FROM range(0, 20) AS t(id)");
    spark.sql("ALTER TABLE seven ADD COLUMN s USING UDF 'dev.lancet.testing.udfs.FailsOnSeven'");
    long before = version("seven");
    AnalysisException e =
        assertThrows(
            AnalysisException.class,
            () ->
                spark
                    .sql("BACKFILL seven (s) OPTIONS (engine = 'spark', on_error = 'fail')")
                    .collect());
    assertTrue(e.getMessage().contains("id 7 is not allowed"), e.getMessage());
    assertEquals(before, version("seven"));

    Row nulls = backfill("BACKFILL seven (s) OPTIONS (engine = 'spark', on_error = 'null')");
    // The failed run's finished fragment was checkpointed: this run computes only the other one.
    assertEquals(1, nulls.getLong(nulls.fieldIndex("rows_failed")));
    assertEquals(1L, spark.sql("SELECT count(*) FROM seven WHERE s IS NULL").first().getLong(0));
    assertEquals(19L, spark.sql("SELECT count(*) FROM seven WHERE s = id").first().getLong(0));
  }

  @Test
  void aStatefulUdfIsSetUpOncePerTaskSlotNotOncePerTask(@TempDir Path dir) throws Exception {
    spark.sql("CREATE TABLE traced (id INT, x INT, y INT)");
    insertParts("traced", 8, 50, "id, 2, 3");
    Path trace = dir.resolve("trace.txt");
    spark.sql(
        "ALTER TABLE traced ADD COLUMN area USING UDF 'dev.lancet.testing.udfs.Traced'"
            + " OPTIONS ('trace' = '"
            + trace
            + "')");
    Row r = backfill("BACKFILL traced (area) OPTIONS (engine = 'spark', concurrency = 2)");
    assertEquals(400, computed(r));
    List<String> lines = Files.readAllLines(trace);
    long setups = lines.stream().filter(l -> l.startsWith("setup ")).count();
    long rows = lines.stream().filter(l -> l.startsWith("row ")).count();
    assertEquals(400, rows, "each row once");
    assertTrue(
        setups >= 1 && setups <= 2,
        "setup() once per task slot (local[2]: at most 2), not per task: " + setups);
  }

  @Test
  void aGpuUdfInLocalModeFailsInOneLineBeforeAnyTask() {
    table("gpu_local");
    spark.sql(
        "ALTER TABLE gpu_local ADD COLUMN device USING UDF 'dev.lancet.testing.udfs.Area'"
            + " OPTIONS (num_gpus = '1')");
    long before = version("gpu_local");
    AnalysisException e =
        assertThrows(
            AnalysisException.class,
            () -> spark.sql("BACKFILL gpu_local (device) OPTIONS (engine = 'spark')").collect());
    assertTrue(
        e.getMessage()
            .startsWith(
                "[LANCET_UNSUPPORTED] column 'device': the UDF asks for 1.0 GPU(s) a task; Spark in"
                    + " local mode (local[2]) cannot give a task resources of its own"),
        e.getMessage());
    assertEquals(before, version("gpu_local"));
  }

  @Test
  void aUdfAskingMoreMemoryThanATaskHasFailsInOneLineAndOneThatFitsRuns() {
    table("memory_big");
    spark.sql(
        "ALTER TABLE memory_big ADD COLUMN big USING UDF 'dev.lancet.testing.udfs.Area'"
            + " OPTIONS (memory = '900g')");
    long before = version("memory_big");
    AnalysisException e =
        assertThrows(
            AnalysisException.class,
            () -> spark.sql("BACKFILL memory_big (big) OPTIONS (engine = 'spark')").collect());
    assertTrue(
        e.getMessage()
            .startsWith(
                "[LANCET_UNSUPPORTED] column 'big': the UDF asks for 921600 MiB a task, and a task"
                    + " of this application has "),
        e.getMessage());
    assertTrue(e.getMessage().contains("over its 2 task slots"), e.getMessage());
    assertEquals(before, version("memory_big"));

    spark.sql(
        "ALTER TABLE memory_big ADD COLUMN small USING UDF 'dev.lancet.testing.udfs.Area'"
            + " OPTIONS (memory = '16m')");
    Row row = backfill("BACKFILL memory_big (small) OPTIONS (engine = 'spark')");
    assertEquals(400, computed(row));
  }

  @Test
  void progressMovesWithinAFragmentOnTheExecutors() {
    spark.sql("CREATE TABLE paced (id INT, x INT, y INT)");
    spark.sql(
        "INSERT INTO paced SELECT /*+ REPARTITION(1) */ id, id % 7, 3 FROM range(300) AS t(id)");
    spark.sql("ALTER TABLE paced ADD COLUMN pc USING UDF 'dev.lancet.testing.udfs.Paced'");
    List<BackfillProgress> reports = new CopyOnWriteArrayList<>();
    ProgressListeners.set(reports::add);
    try {
      Row row = backfill("BACKFILL paced (pc) OPTIONS (engine = 'spark', batch_size = 10)");
      assertEquals(300, computed(row));
    } finally {
      ProgressListeners.set(null);
    }
    assertTrue(
        reports.stream()
            .anyMatch(
                p ->
                    !p.fragmentFinished()
                        && p.fragmentsDone() == 0
                        && p.rowsDone() > 0
                        && p.rowsDone() < 300),
        "a report while the one fragment was computed: " + reports);
    assertEquals(300, reports.get(reports.size() - 1).rowsDone());
  }

  @Test
  void aBigFragmentIsComputedInRowRangesOnTheExecutorsAndCommittedOnce() {
    spark.sql("CREATE TABLE ranged (id INT, x INT, y INT)");
    spark.sql(
        "INSERT INTO ranged SELECT /*+ REPARTITION(1) */ id, id % 7, 3 FROM range(3000) AS t(id)");
    spark.sql("ALTER TABLE ranged ADD COLUMN area USING UDF '" + AREA + "'");
    long before = version("ranged");

    Row row = backfill("BACKFILL ranged (area) OPTIONS (engine = 'spark', task_size = 1000)");

    assertEquals(3000, computed(row));
    assertEquals(3000, Counting.CALLS.get(), "each row once, over 3 ranges and the assembly");
    assertEquals(1, row.getInt(row.fieldIndex("fragments_committed")));
    assertEquals(1, row.getInt(row.fieldIndex("commits")));
    assertEquals(before + 1, version("ranged"));
    assertEquals(
        0,
        spark
            .sql("SELECT count(*) FROM ranged WHERE area IS NULL OR area <> x * y")
            .first()
            .getLong(0));
    assertEquals(0, computed(backfill("BACKFILL ranged (area) OPTIONS (engine = 'spark')")));
  }

  @Test
  void aSplitFragmentIsAssembledOnceItsLastRangeIsBackWhileTheNextFragmentsRangesRun()
      throws Exception {
    spark.sql("CREATE TABLE assembled (id INT, x INT, y INT)");
    insertParts("assembled", 2, 200, "/*+ REPARTITION(1) */ id, id % 7, 3");
    spark.sql("ALTER TABLE assembled ADD COLUMN area USING UDF '" + PACED + "'");
    long before = version("assembled");
    List<String> events = new CopyOnWriteArrayList<>();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart job) {
            String description = job.properties().getProperty("spark.job.description", "");
            if (description.startsWith("backfill of column 'area'")) {
              events.add("start " + job.jobId());
            }
          }

          @Override
          public void onJobEnd(SparkListenerJobEnd job) {
            events.add("end " + job.jobId());
          }
        };
    spark.sparkContext().addSparkListener(listener);
    // 10 ms a row: each fragment is 2 ranges of a second each, the second fragment's after the
    // first's (2 task slots).
    Row row = backfill("BACKFILL assembled (area) OPTIONS (engine = 'spark', task_size = 100)");
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.sparkContext().removeSparkListener(listener);

    assertEquals(400, computed(row));
    assertEquals(2, row.getInt(row.fieldIndex("fragments_committed")));
    assertTrue(version("assembled") > before);
    assertEquals(
        0,
        spark
            .sql("SELECT count(*) FROM assembled WHERE area IS NULL OR area <> x * y")
            .first()
            .getLong(0));
    List<String> started = events.stream().filter(e -> e.startsWith("start ")).toList();
    assertEquals(
        3, started.size(), "the ranges' job, then an assembly's as each is due: " + events);
    String rangesJob = started.get(0).substring("start ".length());
    assertTrue(
        events.indexOf(started.get(1)) < events.indexOf("end " + rangesJob),
        "the first fragment's assembly started while the ranges' job ran: " + events);
  }

  @Test
  void anUnknownEngineIsOneLine() {
    table("bad_engine");
    AnalysisException e =
        assertThrows(
            AnalysisException.class,
            () -> spark.sql("BACKFILL bad_engine (area) OPTIONS (engine = 'flink')").collect());
    assertTrue(
        e.getMessage().contains("option 'engine' must be 'ray' or 'spark', got 'flink'"),
        e.getMessage());
  }
}
