package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.udfs.Counting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Materialized views over a Lance table with a 1:N UDF: created, then refreshed after appends,
 * updates, deletes and nothing, each computing exactly the changed source rows (UDF calls), the
 * same refresh again making no version; dropped with their folder.
 */
class MaterializedViewSqlTest extends SparkSqlTest {
  private static final String WORDS = "dev.lancet.testing.udfs.Counting$Words";

  @BeforeEach
  void reset() {
    Counting.CALLS.set(0);
    Counting.failFrom = Integer.MAX_VALUE;
    Counting.delayMillis = 0;
  }

  private static String uri(String table) {
    return TableNameResolver.resolve(spark, List.of(table)).datasetUri();
  }

  /** The view's rows as "id:position:word", sorted. */
  private static List<String> rows(String view) {
    return spark.sql("SELECT id, position, word FROM " + view).collectAsList().stream()
        .map(r -> r.getInt(0) + ":" + r.getInt(1) + ":" + r.getString(2))
        .sorted()
        .toList();
  }

  /** What the view's query gives now, computed directly (its UDF calls not counted). */
  private static List<String> expected(String source) {
    long calls = Counting.CALLS.get();
    List<String> out =
        spark
            .sql(
                "SELECT d.id, w.position, w.word FROM "
                    + source
                    + " d, LATERAL lancet_explode('"
                    + WORDS
                    + "', d.id, d.text) w WHERE d.id < 100")
            .collectAsList()
            .stream()
            .map(r -> r.getInt(0) + ":" + r.getInt(1) + ":" + r.getString(2))
            .sorted()
            .toList();
    Counting.CALLS.set(calls);
    return out;
  }

  /** SHOW MATERIALIZED VIEWS' row of {@code view}, or null. */
  private static Row listed(String view) {
    return spark.sql("SHOW MATERIALIZED VIEWS").collectAsList().stream()
        .filter(r -> r.getString(0).endsWith("." + view))
        .findFirst()
        .orElse(null);
  }

  /**
   * {@code CREATE MATERIALIZED VIEW view} of {@code source}'s words (WORDS), with {@code where}.
   */
  private static void wordsView(String view, String source, String where) {
    spark.sql(
        "CREATE MATERIALIZED VIEW "
            + view
            + " AS SELECT d.id, w.position, w.word FROM "
            + source
            + " d, LATERAL lancet_explode('"
            + WORDS
            + "', d.id, d.text) w"
            + where);
  }

  /** The rows of a words view of 'a' (id 1) and 'w x' (ids 10 to 40), each once. */
  private static final List<String> FOUR_FRAGMENTS_ONCE =
      List.of(
          "10:0:w", "10:1:x", "1:0:a", "20:0:w", "20:1:x", "30:0:w", "30:1:x", "40:0:w", "40:1:x");

  /**
   * A source {@code table} of 'a' (id 1) and a words view of it, then 'w x' at ids 10 to 40 in a
   * fragment each: four changed fragments for the view's next refresh.
   */
  private static void fourNewFragments(String table, String view) {
    spark.sql("CREATE TABLE " + table + " (id INT, text STRING)");
    spark.sql("INSERT INTO " + table + " VALUES (1, 'a')");
    wordsView(view, table, "");
    for (int id = 10; id <= 40; id += 10) {
      spark.sql("INSERT INTO " + table + " VALUES (" + id + ", 'w x')"); // a fragment each
    }
  }

  /**
   * Refreshes a view of {@link #fourNewFragments} after a stopped refresh: it computes exactly the
   * {@code left} fragments (UDF calls) the stopped one did not commit, and every row is there once.
   */
  private static void assertResumes(String view, int left, String which) {
    Counting.CALLS.set(0);
    Row resumed = refresh(view);
    assertEquals(left, Counting.CALLS.get(), which);
    assertEquals(left, resumed.<Integer>getAs("fragments_computed"));
    assertEquals(FOUR_FRAGMENTS_ONCE, rows(view));
  }

  /**
   * A thread that runs {@code first}, then refreshes {@code view} one source fragment per commit;
   * what it fails with lands in {@code failure[0]}. Not started.
   */
  private static Thread refreshThread(String view, Runnable first, Throwable[] failure) {
    return new Thread(
        () -> {
          first.run();
          try {
            spark.sql("REFRESH MATERIALIZED VIEW " + view + " OPTIONS (fragments_per_commit = 1)");
          } catch (Throwable t) {
            failure[0] = t;
          }
        });
  }

  private static Row refresh(String view) {
    return spark.sql("REFRESH MATERIALIZED VIEW " + view).first();
  }

  @Test
  void aViewRefreshesExactlyWhatChangedInItsSource() {
    spark.sql("CREATE TABLE docs (id INT, text STRING)");
    spark.sql("INSERT INTO docs VALUES (1, 'a cat sat'), (2, 'dogs bark'), (3, NULL)");
    spark.sql("INSERT INTO docs VALUES (4, 'one'), (5, 'x y z'), (100, 'filtered out')");

    Row created =
        spark
            .sql(
                "CREATE MATERIALIZED VIEW words AS SELECT d.id, w.position, w.word FROM docs d,"
                    + " LATERAL lancet_explode('"
                    + WORDS
                    + "', d.id, d.text) w WHERE d.id < 100")
            .first();
    assertEquals(5, Counting.CALLS.get(), "one call per source row the WHERE keeps");
    assertEquals(9L, created.<Long>getAs("rows_added"));
    assertEquals(expected("docs"), rows("words"));
    assertTrue(
        spark.sql("SELECT * FROM words").schema().fieldNames().length == 4,
        "id, position, word and _source_row");

    // Nothing changed: nothing computed, no version, three times.
    long version = LanceTestReads.version(uri("words"));
    for (int run = 0; run < 3; run++) {
      Row again = refresh("words");
      assertEquals(0, again.<Integer>getAs("fragments_computed"));
      assertEquals(0L, again.<Long>getAs("rows_added"));
    }
    assertEquals(5, Counting.CALLS.get());
    assertEquals(version, LanceTestReads.version(uri("words")));

    // Rows the view's WHERE leaves out: computed nothing, added nothing.
    spark.sql("INSERT INTO docs VALUES (200, 'out of the view')");
    assertEquals(0L, refresh("words").<Long>getAs("rows_added"));
    assertEquals(5, Counting.CALLS.get(), "the WHERE is applied before the UDF");

    // An append: only its rows.
    spark.sql("INSERT INTO docs VALUES (6, 'new doc here'), (7, 'more')");
    Row appended = refresh("words");
    assertEquals(7, Counting.CALLS.get(), "the two new rows");
    assertEquals(2L, appended.<Long>getAs("source_rows_read"));
    assertEquals(4L, appended.<Long>getAs("rows_added"));
    assertEquals(0L, appended.<Long>getAs("rows_removed"));
    assertEquals(expected("docs"), rows("words"));

    // An update: the updated row's derived rows replaced, nothing else computed.
    spark.sql("UPDATE docs SET text = 'a dog' WHERE id = 1");
    Row updated = refresh("words");
    assertEquals(8, Counting.CALLS.get(), "the updated row only");
    assertEquals(3L, updated.<Long>getAs("rows_removed"));
    assertEquals(2L, updated.<Long>getAs("rows_added"));
    assertEquals(expected("docs"), rows("words"));

    // A delete: its derived rows removed, no UDF call.
    spark.sql("DELETE FROM docs WHERE id = 5");
    Row deleted = refresh("words");
    assertEquals(8, Counting.CALLS.get(), "a delete computes nothing");
    assertEquals(0L, deleted.<Long>getAs("source_rows_read"));
    assertEquals(3L, deleted.<Long>getAs("rows_removed"));
    assertEquals(expected("docs"), rows("words"));

    version = LanceTestReads.version(uri("words"));
    assertEquals(0L, refresh("words").<Long>getAs("rows_added"));
    assertEquals(version, LanceTestReads.version(uri("words")), "then settled");

    Row listed = listed("words");
    assertTrue(listed.getString(1).endsWith("docs"), listed.toString());
    assertTrue(listed.<Boolean>getAs("fresh"), listed.toString());
    spark.sql("INSERT INTO docs VALUES (8, 'stale now')");
    assertFalse(listed("words").<Boolean>getAs("fresh"));

    Path folder = Path.of(uri("words").replaceFirst("^file://", ""));
    spark.sql("DROP MATERIALIZED VIEW words");
    assertFalse(Files.exists(folder), "its folder goes too");
    assertEquals(null, listed("words"));
    spark.sql("DROP MATERIALIZED VIEW IF EXISTS words");
  }

  @Test
  void aViewsOwnVirtualColumnBackfillsOnlyItsNewRows() {
    spark.sql("CREATE TABLE notes (id INT, text STRING)");
    spark.sql("INSERT INTO notes VALUES (1, 'a b'), (2, 'c')");
    wordsView("note_words", "notes", "");
    spark.sql("ALTER TABLE note_words ADD COLUMN len AS (length(word))");
    assertEquals(3L, spark.sql("BACKFILL note_words (len)").first().<Long>getAs("rows_computed"));
    spark.sql("INSERT INTO notes VALUES (3, 'dd ee')");
    refresh("note_words");
    assertEquals(2L, spark.sql("BACKFILL note_words (len)").first().<Long>getAs("rows_computed"));
    assertEquals(
        0L,
        spark
            .sql("SELECT count(*) FROM note_words WHERE len IS NULL OR len <> length(word)")
            .first()
            .getLong(0));
  }

  @Test
  void aSourceVirtualColumnReadOnlyInTheWhereRecomputesItsFragmentsOnceBackfilled() {
    spark.sql("CREATE TABLE sized (id INT, text STRING)");
    spark.sql("INSERT INTO sized VALUES (1, 'a b'), (2, 'c')");
    spark.sql("ALTER TABLE sized ADD COLUMN len AS (length(text))");
    wordsView("long_words", "sized", " WHERE d.len > 1");
    assertEquals(0, spark.sql("SELECT * FROM long_words").count(), "len is null: no row passes");
    spark.sql("BACKFILL sized (len)");
    Counting.CALLS.set(0);
    Row refreshed = refresh("long_words");
    assertTrue(refreshed.<Integer>getAs("fragments_computed") > 0, refreshed.toString());
    assertEquals(1, Counting.CALLS.get(), "id 1 only: 'c' is 1 long");
    assertEquals(List.of("1:0:a", "1:1:b"), rows("long_words"));
  }

  @Test
  void aRefreshThatFailsMidwayResumesAfterTheFragmentsItCommitted() {
    fourNewFragments("pages", "page_words");
    Counting.CALLS.set(0);
    Counting.failFrom = 30; // the third new fragment's row fails
    long version = LanceTestReads.version(uri("page_words"));

    AnalysisException e =
        assertThrows(
            AnalysisException.class,
            () ->
                spark.sql(
                    "REFRESH MATERIALIZED VIEW page_words OPTIONS (fragments_per_commit = 1)"));
    assertTrue(e.getMessage().contains("LANCET_UDF_FAILED"), e.getMessage());
    assertTrue(e.getMessage().contains("failing on purpose at id 30"), e.getMessage());
    assertTrue(e.getMessage().contains("2 of 4 changed fragments are committed"), e.getMessage());
    assertEquals(version + 2, LanceTestReads.version(uri("page_words")), "two commits landed");
    assertEquals(3, Counting.CALLS.get(), "ids 10 and 20, then 30 failed");

    Counting.failFrom = Integer.MAX_VALUE;
    assertResumes("page_words", 2, "ids 30 and 40 only");
  }

  @Test
  void aRefreshWhileAnotherProcessRefreshesFailsInOneLineAndOneAfterItsKillComputesOnce()
      throws Exception {
    spark.sql("CREATE TABLE memos (id INT, text STRING)");
    spark.sql("INSERT INTO memos VALUES (1, 'a b')");
    wordsView("memo_words", "memos", "");
    spark.sql("INSERT INTO memos VALUES (2, 'c d e')");
    long version = LanceTestReads.version(uri("memo_words"));
    Counting.CALLS.set(0);
    Path lock = Path.of(java.net.URI.create(uri("memo_words"))).resolve("_lancet/refresh.lock");
    Process other = dev.lancet.spark.testing.FileLockHolder.start(lock);
    try {
      AnalysisException e = assertThrows(AnalysisException.class, () -> refresh("memo_words"));
      assertTrue(e.getMessage().contains("LANCET_CONCURRENT_WRITE"), e.getMessage());
      assertTrue(
          e.getMessage()
              .contains("memo_words is being refreshed by another session (process of another"),
          e.getMessage());
      assertFalse(e.getMessage().contains("\n\tat "), "no stack trace: " + e.getMessage());
      assertEquals(0, Counting.CALLS.get(), "nothing computed");
      assertEquals(version, LanceTestReads.version(uri("memo_words")), "nothing committed");
    } finally {
      other.destroyForcibly().waitFor(); // kill -9: the lock goes with the process
    }

    Row refreshed = refresh("memo_words");
    assertEquals(1, Counting.CALLS.get(), "the new row only");
    assertEquals(3L, refreshed.<Long>getAs("rows_added"));
    assertEquals(List.of("1:0:a", "1:1:b", "2:0:c", "2:1:d", "2:2:e"), rows("memo_words"));
    Counting.CALLS.set(0);
    refresh("memo_words");
    assertEquals(0, Counting.CALLS.get(), "the lock is released after each refresh");
  }

  @Test
  void aRefreshKilledWithSignalNineMidwayResumesAfterWhatItCommittedWithEachRowOnce()
      throws Exception {
    fourNewFragments("letters", "letter_words");
    String viewUri = uri("letter_words");
    Path log = Files.createTempFile("lancet-refresh-child", ".log");
    // Another session refreshes, one fragment per commit, each call taking 1.5 s.
    Process child =
        dev.lancet.testing.ChildJvms.start(
            dev.lancet.spark.testing.RefreshMain.class,
            List.of(),
            List.of(session.warehouse().toString(), "letter_words", "1500"),
            log);
    try {
      long deadline = System.currentTimeMillis() + 120_000;
      while (LanceTestReads.rows(viewUri, List.of("id")).size() < 3) { // 'a', then 'w x' of 10
        assertTrue(child.isAlive(), "the child ended early: " + Files.readString(log));
        assertTrue(System.currentTimeMillis() < deadline, "no commit: " + Files.readString(log));
        Thread.sleep(50);
      }
      Thread.sleep(500); // its state is written; the next fragment's call sleeps
    } finally {
      child.destroyForcibly().waitFor(); // kill -9
    }
    assertFalse(Files.readString(log).contains("refreshed"), "killed midway");
    // Its running record stays, without a heartbeat: abandoned (after 1 s here, a minute by
    // default).
    System.setProperty("lancet.jobs.abandoned-after-ms", "1000");
    try {
      Thread.sleep(1_500);
      assertEquals(
          List.of("abandoned"),
          spark.sql("SHOW BACKFILL JOBS IN letter_words").collectAsList().stream()
              .filter(r -> r.<String>getAs("column").equals("(refresh)"))
              .map(r -> r.<String>getAs("status"))
              .toList());
    } finally {
      System.clearProperty("lancet.jobs.abandoned-after-ms");
    }

    assertResumes("letter_words", 3, "ids 20, 30 and 40: 10 was committed before the kill");
    Counting.CALLS.set(0);
    refresh("letter_words");
    assertEquals(0, Counting.CALLS.get());
    Files.deleteIfExists(log);
  }

  @Test
  void rowsAppendedByARefreshStoppedBeforeItsStateWriteAreReplacedNotDoubled() throws Exception {
    spark.sql("CREATE TABLE cards (id INT, text STRING)");
    spark.sql("INSERT INTO cards VALUES (1, 'a')");
    wordsView("card_words", "cards", "");
    spark.sql("INSERT INTO cards VALUES (2, 'b c')");
    refresh("card_words");
    Path state = Path.of(java.net.URI.create(uri("card_words"))).resolve("_lancet/view.json");
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode committed =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(state.toFile());
    String newest =
        java.util.stream.StreamSupport.stream(
                java.util.Spliterators.spliteratorUnknownSize(
                    committed.get("files").fieldNames(), 0),
                false)
            .max(java.util.Comparator.comparingInt(Integer::parseInt))
            .orElseThrow();

    // As a refresh stopped after appending the new fragment's rows, before its state write: the
    // fragment marked as being appended (this release), or no marks at all (an earlier release's).
    for (boolean marked : List.of(true, false)) {
      com.fasterxml.jackson.databind.node.ObjectNode stopped = committed.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) stopped.get("files")).remove(newest);
      ((com.fasterxml.jackson.databind.node.ObjectNode) stopped.get("deletions")).remove(newest);
      if (marked) {
        stopped.putArray("appending").add(Integer.parseInt(newest));
      } else {
        stopped.remove("appending");
      }
      json.writeValue(state.toFile(), stopped);
      Counting.CALLS.set(0);

      Row resumed = refresh("card_words");

      assertEquals(1, Counting.CALLS.get(), "the stopped fragment again, marked = " + marked);
      assertEquals(2L, resumed.<Long>getAs("rows_removed"), "its rows appended before the stop");
      assertEquals(List.of("1:0:a", "2:0:b", "2:1:c"), rows("card_words"));
    }
  }

  @Test
  void aRefreshCancelledThroughItsJobGroupSaysSoAndTheNextResumesAfterWhatItCommitted()
      throws Exception {
    fourNewFragments("quotes", "quote_words");
    String viewUri = uri("quote_words");
    Counting.delayMillis = 700;
    Throwable[] failure = {null};
    Thread cell =
        refreshThread(
            "quote_words",
            () -> spark.sparkContext().setJobGroup("refresh-cell", "a notebook cell", true),
            failure);
    try {
      cell.start();
      long deadline = System.currentTimeMillis() + 60_000;
      while (LanceTestReads.rows(viewUri, List.of("id")).size() < 3 // id 10's rows committed
          || spark.sparkContext().statusTracker().getActiveJobIds().length == 0) { // 20's running
        assertTrue(System.currentTimeMillis() < deadline, "no commit");
        Thread.sleep(20);
      }
      spark.sparkContext().cancelJobGroup("refresh-cell"); // a notebook's Cancel button
      cell.join(60_000);
    } finally {
      Counting.delayMillis = 0;
    }

    assertTrue(failure[0] instanceof AnalysisException, String.valueOf(failure[0]));
    String message = failure[0].getMessage();
    assertTrue(message.contains("LANCET_BACKFILL_CANCELLED"), message);
    assertTrue(message.contains("quote_words: the refresh was cancelled (Job "), message);
    assertTrue(message.contains("REFRESH again resumes after them"), message);
    assertResumes("quote_words", 3, "ids 20, 30 and 40: what was not committed");
    refresh("quote_words"); // nothing to do: no record
    assertEquals(
        List.of("(refresh) cancelled 0 true", "(refresh) succeeded 3 false"),
        spark.sql("SHOW BACKFILL JOBS IN quote_words").collectAsList().stream()
            .filter(r -> r.<String>getAs("column").equals("(refresh)"))
            .map(
                r ->
                    r.getAs("column")
                        + " "
                        + r.getAs("status")
                        + " "
                        + r.getAs("rows_computed")
                        + " "
                        + (r.getAs("error") != null
                            && r.<String>getAs("error").contains("was cancelled")))
            .toList(),
        "the view's refreshes are among its jobs");
  }

  @Test
  void aRefreshCancelledBetweenItsSparkJobsStopsBeforeItsNextGroup() {
    fourNewFragments("notices", "notice_words");
    String viewUri = uri("notice_words");
    Counting.CALLS.set(0);
    // Ctrl-C in lancet-sql cancels the running jobs of this JVM; this one lands once the first
    // group is committed, while the refresh writes its state and stages the next group, where
    // Spark has no job of it to cancel.
    Counting.HOOK.set(
        () -> {
          Thread ctrlC =
              new Thread(
                  () -> {
                    while (LanceTestReads.rows(viewUri, List.of("id")).size() < 3) {
                      Thread.onSpinWait();
                    }
                    dev.lancet.backfill.RunningBackfills.cancelAll("Ctrl-C in lancet-sql");
                  });
          ctrlC.setDaemon(true);
          ctrlC.start();
        });

    AnalysisException e =
        assertThrows(
            AnalysisException.class,
            () ->
                spark.sql(
                    "REFRESH MATERIALIZED VIEW notice_words OPTIONS (fragments_per_commit = 1)"));

    assertTrue(e.getMessage().contains("LANCET_BACKFILL_CANCELLED"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "notice_words: the refresh was cancelled (Ctrl-C in lancet-sql); 1 of 4 changed"
                    + " fragments are committed"),
        e.getMessage());
    // The next group's job is cancelled too if it started before the cancel landed.
    assertTrue(Counting.CALLS.get() <= 2, "no group after the cancel: " + Counting.CALLS.get());
    assertResumes("notice_words", 3, "ids 20, 30 and 40");
  }

  @Test
  void cancelBackfillFromAnotherSessionStopsARefreshInsideItsSparkJobAndItIsRecorded()
      throws Exception {
    fourNewFragments("briefs", "brief_words");
    String viewUri = uri("brief_words");
    Counting.delayMillis = 2_000;
    Throwable[] failure = {null};
    Thread refreshing = refreshThread("brief_words", () -> {}, failure);
    org.apache.spark.sql.SparkSession other = spark.newSession();
    String jobId;
    try {
      refreshing.start();
      long deadline = System.currentTimeMillis() + 60_000;
      while (LanceTestReads.rows(viewUri, List.of("id")).size() < 3) { // id 10's rows committed
        assertTrue(System.currentTimeMillis() < deadline, "no commit");
        Thread.sleep(20);
      }
      Row running =
          other.sql("SHOW BACKFILL JOBS IN brief_words").collectAsList().stream()
              .filter(r -> r.<String>getAs("column").equals("(refresh)"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("the running refresh is not listed"));
      assertEquals("running", running.getAs("status"));
      jobId = running.getAs("job_id");
      Row asked = other.sql("CANCEL BACKFILL '" + jobId + "' IN brief_words").first();
      assertTrue(String.valueOf(asked.get(4)).startsWith("cancel requested"), asked.toString());
      refreshing.join(60_000);
    } finally {
      Counting.delayMillis = 0;
    }

    assertTrue(failure[0] instanceof AnalysisException, String.valueOf(failure[0]));
    String message = failure[0].getMessage();
    java.util.regex.Matcher committed =
        java.util.regex.Pattern.compile(
                "brief_words: the refresh was cancelled \\(CANCEL BACKFILL '"
                    + jobId
                    + "'\\); ([123]) of 4 changed fragments are committed")
            .matcher(message);
    // The cancel lands inside a group's job (each call sleeps 2 s), whichever the listing reached.
    assertTrue(committed.find(), message);
    int left = 4 - Integer.parseInt(committed.group(1));
    assertResumes("brief_words", left, "the groups after the cancelled one's: it committed none");
    List<String> refreshes =
        spark.sql("SHOW BACKFILL JOBS IN brief_words").collectAsList().stream()
            .filter(r -> r.<String>getAs("column").equals("(refresh)"))
            .map(r -> r.<String>getAs("job_id").equals(jobId) + " " + r.getAs("status"))
            .toList();
    assertEquals(List.of("true cancelled", "false succeeded"), refreshes);
  }

  @Test
  void aRefreshReportsItsProgressAfterEachCommitAndIsListedRunningWhileItRuns() {
    fourNewFragments("tickets", "ticket_words");
    List<dev.lancet.backfill.BackfillProgress> reports =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> listed = new java.util.concurrent.CopyOnWriteArrayList<>();
    // Listed by another session while the first group's UDF is called (the task waits for it).
    Counting.HOOK.set(
        () -> {
          Thread reader =
              new Thread(
                  () -> {
                    long deadline = System.currentTimeMillis() + 10_000;
                    while (listed.isEmpty() && System.currentTimeMillis() < deadline) {
                      spark
                          .newSession()
                          .sql("SHOW BACKFILL JOBS IN ticket_words")
                          .collectAsList()
                          .stream()
                          .filter(r -> r.<String>getAs("column").equals("(refresh)"))
                          .forEach(
                              r ->
                                  listed.add(r.getAs("status") + " " + r.getAs("fragments_total")));
                    }
                  });
          reader.start();
          try {
            reader.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    dev.lancet.spark.ops.ProgressListeners.set(reports::add);
    try {
      spark.sql("REFRESH MATERIALIZED VIEW ticket_words OPTIONS (fragments_per_commit = 2)");
    } finally {
      dev.lancet.spark.ops.ProgressListeners.set(null);
    }

    assertEquals(
        List.of("(refresh) 0/4 0 rows", "(refresh) 2/4 2 rows", "(refresh) 4/4 4 rows"),
        reports.stream()
            .map(
                p ->
                    p.column()
                        + " "
                        + p.fragmentsDone()
                        + "/"
                        + p.fragmentsTotal()
                        + " "
                        + p.rowsDone()
                        + " rows")
            .toList());
    assertEquals(1.0, reports.get(reports.size() - 1).fraction());
    assertEquals(List.of("running 4"), listed, "the running refresh, with the fragments it has");
  }

  @Test
  void rowsWhoseUdfFailsAreSkippedRecordedAndComputedAgainByTheNextRefresh() {
    spark.sql("CREATE TABLE sketches (id INT, text STRING)");
    spark.sql("INSERT INTO sketches VALUES (1, 'a'), (10, 'w x'), (30, 'y')");
    Counting.failFrom = 30; // ids from 30 on fail

    Row created =
        spark
            .sql(
                "CREATE MATERIALIZED VIEW sketch_words OPTIONS (on_error = 'skip',"
                    + " max_error_fraction = 0.7) AS SELECT d.id, w.position, w.word FROM sketches"
                    + " d, LATERAL lancet_explode('"
                    + WORDS
                    + "', d.id, d.text) w")
            .first();
    assertEquals(1L, created.<Long>getAs("rows_failed"));
    assertEquals(List.of("10:0:w", "10:1:x", "1:0:a"), rows("sketch_words"));
    List<Row> errors = spark.sql("SHOW BACKFILL ERRORS IN sketch_words").collectAsList();
    assertEquals(1, errors.size(), errors.toString());
    assertEquals("[30, y]", errors.get(0).getAs("inputs"));
    assertTrue(
        errors.get(0).<String>getAs("error").contains("failing on purpose at id 30"),
        errors.toString());

    // The failed row is computed again with the new ones (the view's skip holds): 40 fails too.
    spark.sql("INSERT INTO sketches VALUES (40, 'z'), (2, 'b')");
    Counting.CALLS.set(0);
    Row again = refresh("sketch_words");
    assertEquals(3, Counting.CALLS.get(), "2 new rows and the one that failed");
    assertEquals(3L, again.<Long>getAs("source_rows_read"));
    assertEquals(2L, again.<Long>getAs("rows_failed"));
    assertEquals(List.of("10:0:w", "10:1:x", "1:0:a", "2:0:b"), rows("sketch_words"));

    // Nothing new: the two failed rows alone, failing again, are kept without stopping the run
    // (they were judged against max_error_fraction when they first failed).
    Counting.CALLS.set(0);
    Row stuck = refresh("sketch_words");
    assertEquals(2, Counting.CALLS.get(), "the 2 rows that failed");
    assertEquals(2L, stuck.<Long>getAs("rows_failed"));
    assertEquals(List.of("10:0:w", "10:1:x", "1:0:a", "2:0:b"), rows("sketch_words"));

    Counting.failFrom = Integer.MAX_VALUE; // the UDF is fixed
    Counting.CALLS.set(0);
    Row fixed = refresh("sketch_words");
    assertEquals(2, Counting.CALLS.get(), "only the 2 rows that failed");
    assertEquals(0L, fixed.<Long>getAs("rows_failed"));
    assertEquals(
        List.of("10:0:w", "10:1:x", "1:0:a", "2:0:b", "30:0:y", "40:0:z"), rows("sketch_words"));
    long version = tableVersion("sketch_words");
    Counting.CALLS.set(0);
    refresh("sketch_words");
    assertEquals(0, Counting.CALLS.get());
    assertEquals(version, tableVersion("sketch_words"), "nothing left to compute: no version");

    // Too many failures for this run's fraction: one line; the failed row waits for the next.
    Counting.failFrom = 0;
    spark.sql("INSERT INTO sketches VALUES (50, 'v')");
    AnalysisException tooMany =
        assertThrows(
            AnalysisException.class,
            () ->
                spark.sql(
                    "REFRESH MATERIALIZED VIEW sketch_words OPTIONS (max_error_fraction = 0.1)"));
    assertTrue(tooMany.getMessage().contains("LANCET_TOO_MANY_FAILED_ROWS"), tooMany.getMessage());
    assertTrue(
        tooMany
            .getMessage()
            .contains("1 of 1 source rows failed, more than max_error_fraction 0.1"),
        tooMany.getMessage());
    Counting.failFrom = Integer.MAX_VALUE;
    Counting.CALLS.set(0);
    refresh("sketch_words");
    assertEquals(1, Counting.CALLS.get());
    assertTrue(rows("sketch_words").contains("50:0:v"));

    // A CREATE over the fraction leaves nothing.
    Counting.failFrom = 0;
    AnalysisException none =
        assertThrows(
            AnalysisException.class,
            () ->
                spark.sql(
                    "CREATE MATERIALIZED VIEW sketch_words2 OPTIONS (on_error = 'skip') AS SELECT"
                        + " d.id, w.position, w.word FROM sketches d, LATERAL lancet_explode('"
                        + WORDS
                        + "', d.id, d.text) w"));
    assertTrue(none.getMessage().contains("nothing was created"), none.getMessage());
    assertFalse(spark.catalog().tableExists("sketch_words2"));
  }

  @Test
  void aViewOfASourceOfManySmallFragmentsIsCompactedAndRefreshesExactly() {
    spark.sql("CREATE TABLE crumbs (id INT, text STRING)");
    spark.sql(
        "INSERT INTO crumbs SELECT /*+ REPARTITION(40) */ CAST(id AS INT), concat('w', id, ' x')"
            + " FROM range(400)");
    spark.sql(
        "CREATE MATERIALIZED VIEW crumb_words AS SELECT d.id, w.position, w.word FROM crumbs d,"
            + " LATERAL lancet_explode('"
            + WORDS
            + "', d.id, d.text) w");
    assertTrue(fragments("crumb_words") < 40, "40 tasks wrote it: compacted after its build");
    assertEquals(800, spark.table("crumb_words").count());

    spark.sql("INSERT INTO crumbs VALUES (1000, 'y z')");
    Counting.CALLS.set(0);
    assertEquals(1L, refresh("crumb_words").<Long>getAs("source_rows_read"));
    assertEquals(
        1, Counting.CALLS.get(), "a compaction of the view changes nothing a refresh reads");
    assertEquals(802, spark.table("crumb_words").count());
    Counting.CALLS.set(0);
    refresh("crumb_words");
    assertEquals(0, Counting.CALLS.get());
  }

  private static int fragments(String table) {
    try (org.lance.Dataset d = dev.lancet.lance.LanceDatasets.open(uri(table), Map.of())) {
      return d.getFragments().size();
    }
  }

  @Test
  void aUdfFailureOnAnInputHoldingAPercentSignIsReportedWithThatInput() {
    spark.sql("CREATE TABLE percents (id INT, text STRING)");
    spark.sql("INSERT INTO percents VALUES (40, '100% sure')");
    Counting.failFrom = 40;
    Exception e = // a plain query: Spark's own error, holding Lancet's line
        assertThrows(
            Exception.class,
            () ->
                spark
                    .sql(
                        "SELECT w.* FROM percents d, LATERAL lancet_explode('"
                            + WORDS
                            + "', d.id, d.text) w")
                    .collectAsList());
    assertTrue(
        e.getMessage()
            .contains("failed on inputs [40, 100% sure]: java.lang.IllegalStateException"),
        e.getMessage());
  }

  @Test
  void aViewWhoseQueryQualifiesColumnsByTheSourcesOwnNameRefreshes() {
    spark.sql("CREATE TABLE jottings (id INT, text STRING)");
    spark.sql("INSERT INTO jottings VALUES (1, 'a b')");
    spark.sql(
        "CREATE MATERIALIZED VIEW jotting_words AS SELECT jottings.id, w.position, w.word FROM"
            + " jottings, LATERAL lancet_explode('"
            + WORDS
            + "', jottings.id, jottings.text) w");
    spark.sql("INSERT INTO jottings VALUES (2, 'c')");
    Counting.CALLS.set(0);

    assertEquals(1L, refresh("jotting_words").<Long>getAs("source_rows_read"));
    assertEquals(1, Counting.CALLS.get());
    assertEquals(List.of("1:0:a", "1:1:b", "2:0:c"), rows("jotting_words"));
  }

  @Test
  void aCreateWhoseUdfFailsLeavesNoTableAndTheSameCreateRunsOnceFixed() {
    spark.sql("CREATE TABLE drafts (id INT, text STRING)");
    spark.sql("INSERT INTO drafts VALUES (1, 'a b'), (2, 'c')");
    Counting.failFrom = 2;

    AnalysisException e =
        assertThrows(AnalysisException.class, () -> wordsView("draft_words", "drafts", ""));
    assertTrue(e.getMessage().contains("LANCET_UDF_FAILED"), e.getMessage());
    assertTrue(
        e.getMessage().contains("draft_words: building it failed: table function"), e.getMessage());
    assertTrue(e.getMessage().contains("failing on purpose at id 2"), e.getMessage());
    assertTrue(e.getMessage().contains("; nothing was created"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertFalse(
        spark.catalog().tableExists("draft_words"), "the failed CREATE left no table behind");

    Counting.failFrom = Integer.MAX_VALUE;
    wordsView("draft_words", "drafts", "");
    assertEquals(List.of("1:0:a", "1:1:b", "2:0:c"), rows("draft_words"));
  }

  @Test
  void aViewOfAShortNamedUdfRefreshesInASessionThatNeverCreatedTheName() {
    spark.sql(
        "CREATE TEMPORARY TABLE FUNCTION split_words USING UDF '"
            + WORDS
            + "' OPTIONS (separator = '-')");
    spark.sql("CREATE TABLE posts (id INT, text STRING)");
    spark.sql("INSERT INTO posts VALUES (1, 'a-b')");
    spark.sql(
        "CREATE MATERIALIZED VIEW post_words AS SELECT d.id, w.position, w.word FROM posts d,"
            + " LATERAL split_words(d.id, d.text) w");

    org.apache.spark.sql.SparkSession tomorrow = spark.newSession(); // no split_words in it
    dev.lancet.spark.LancetSessions.useDefaultNamespace(tomorrow);
    assertThrows(AnalysisException.class, () -> tomorrow.sql("SELECT * FROM split_words(1, 'x')"));
    tomorrow.sql("INSERT INTO posts VALUES (2, 'c-d-e')");
    Counting.CALLS.set(0);

    Row refreshed = tomorrow.sql("REFRESH MATERIALIZED VIEW post_words").first();

    assertEquals(1, Counting.CALLS.get(), "the new row, with the view's UDF and options");
    assertEquals(3L, refreshed.<Long>getAs("rows_added"));
    assertEquals(
        List.of("1:0:a", "1:1:b", "2:0:c", "2:1:d", "2:2:e"),
        tomorrow.sql("SELECT id, position, word FROM post_words").collectAsList().stream()
            .map(r -> r.getInt(0) + ":" + r.getInt(1) + ":" + r.getString(2))
            .sorted()
            .toList());
  }

  private static final String SCENES = "dev.lancet.testing.udfs.Counting$Scenes";

  private static final String SCENES_QUERY =
      "SELECT g.video_id, s.* FROM (SELECT video_id, collect_list(struct(frame, brightness)) AS"
          + " frames FROM frames GROUP BY video_id) g, LATERAL lancet_explode('"
          + SCENES
          + "', g.frames) s";

  /** The scenes view's rows, or what its query gives now, as "video:scene:first-last", sorted. */
  private static List<String> scenes(String from) {
    long calls = Counting.GROUP_CALLS.get();
    List<String> out =
        spark.sql("SELECT video_id, scene, first, last FROM " + from).collectAsList().stream()
            .map(r -> r.getInt(0) + ":" + r.getInt(1) + ":" + r.getInt(2) + "-" + r.getInt(3))
            .sorted()
            .toList();
    Counting.GROUP_CALLS.set(calls);
    return out;
  }

  @Test
  void aPartitionedViewRecomputesExactlyTheGroupsWithAChangedRow() {
    spark.sql("CREATE TABLE frames (video_id INT, frame INT, brightness DOUBLE)");
    spark.sql("INSERT INTO frames VALUES (1, 0, 0.1), (1, 1, 0.1), (1, 2, 0.9)");
    spark.sql("INSERT INTO frames VALUES (2, 0, 0.5), (2, 1, 0.5)");
    spark.sql("INSERT INTO frames VALUES (3, 0, 0.2)");
    Counting.GROUP_CALLS.set(0);
    spark.sql("CREATE MATERIALIZED VIEW scenes PARTITION BY (video_id) AS " + SCENES_QUERY);
    assertEquals(3, Counting.GROUP_CALLS.get(), "one call per video");
    assertEquals(List.of("1:0:0-1", "1:1:2-2", "2:0:0-1", "3:0:0-0"), scenes("scenes"));
    long version = LanceTestReads.version(uri("scenes"));
    assertEquals(0, refresh("scenes").<Integer>getAs("fragments_computed"));
    assertEquals(version, LanceTestReads.version(uri("scenes")), "nothing changed: no version");

    // A new frame of video 2 and a new video: those two groups only.
    spark.sql("INSERT INTO frames VALUES (2, 2, 0.95), (4, 0, 0.3)");
    Row grown = refresh("scenes");
    assertEquals(5, Counting.GROUP_CALLS.get(), "videos 2 and 4");
    assertEquals(4L, grown.<Long>getAs("source_rows_read"), "their 4 frames");
    assertEquals(scenes("(" + SCENES_QUERY + ")"), scenes("scenes"));

    // An update of one frame of video 1: video 1 only.
    spark.sql("UPDATE frames SET brightness = 0.1 WHERE video_id = 1 AND frame = 2");
    refresh("scenes");
    assertEquals(6, Counting.GROUP_CALLS.get(), "video 1");
    assertEquals(scenes("(" + SCENES_QUERY + ")"), scenes("scenes"));
    assertTrue(scenes("scenes").contains("1:0:0-2"), "one scene now");

    // Video 3 deleted: its scene removed, no call.
    spark.sql("DELETE FROM frames WHERE video_id = 3");
    Row deleted = refresh("scenes");
    assertEquals(6, Counting.GROUP_CALLS.get(), "no group to compute");
    assertEquals(1L, deleted.<Long>getAs("rows_removed"));
    assertEquals(scenes("(" + SCENES_QUERY + ")"), scenes("scenes"));
    version = LanceTestReads.version(uri("scenes"));
    refresh("scenes");
    assertEquals(version, LanceTestReads.version(uri("scenes")), "then settled");
  }

  @Test
  void aGroupWhoseUdfFailsIsSkippedRecordedAndComputedAgainByTheNextRefresh() {
    spark.sql("CREATE TABLE reels (video_id INT, frame INT, brightness DOUBLE)");
    spark.sql("INSERT INTO reels VALUES (1, 0, 0.1), (1, 1, 0.9), (2, 0, -1.0), (2, 1, 0.5)");
    spark.sql("INSERT INTO reels VALUES (3, 0, 0.2)");
    String query = SCENES_QUERY.replace("FROM frames", "FROM reels");
    Counting.failNegative = true; // video 2 fails
    Counting.GROUP_CALLS.set(0);
    try {
      Row created =
          spark
              .sql(
                  "CREATE MATERIALIZED VIEW reel_scenes PARTITION BY (video_id) OPTIONS (on_error"
                      + " = 'skip', max_error_fraction = 0.5) AS "
                      + query)
              .first();
      assertEquals(3, Counting.GROUP_CALLS.get(), "one call per video");
      assertEquals(1L, created.<Long>getAs("rows_failed"));
      assertEquals(List.of("1:0:0-0", "1:1:1-1", "3:0:0-0"), scenes("reel_scenes"));
      List<Row> errors = spark.sql("SHOW BACKFILL ERRORS IN reel_scenes").collectAsList();
      assertEquals(1, errors.size(), errors.toString());
      assertTrue(errors.get(0).<String>getAs("inputs").startsWith("group 2: "), errors.toString());
      assertEquals(-1, errors.get(0).<Integer>getAs("fragment"), "no one source row");
      assertTrue(
          errors.get(0).<String>getAs("error").contains("negative brightness in frame 0"),
          errors.toString());

      // Nothing changed in the source: the failed group alone is computed again, and fails again.
      Counting.GROUP_CALLS.set(0);
      Row again = refresh("reel_scenes");
      assertEquals(1, Counting.GROUP_CALLS.get(), "video 2 only");
      assertEquals(1L, again.<Long>getAs("rows_failed"));
      assertEquals(List.of("1:0:0-0", "1:1:1-1", "3:0:0-0"), scenes("reel_scenes"));

      // The UDF fixed: the group's scenes arrive, then nothing is left to do.
      Counting.failNegative = false;
      Counting.GROUP_CALLS.set(0);
      Row fixed = refresh("reel_scenes");
      assertEquals(1, Counting.GROUP_CALLS.get(), "video 2 only");
      assertEquals(0L, fixed.<Long>getAs("rows_failed"));
      assertEquals(scenes("(" + query + ")"), scenes("reel_scenes"));
      assertTrue(scenes("reel_scenes").contains("2:0:0-0"), scenes("reel_scenes").toString());
      long version = LanceTestReads.version(uri("reel_scenes"));
      Counting.GROUP_CALLS.set(0);
      refresh("reel_scenes");
      assertEquals(0, Counting.GROUP_CALLS.get());
      assertEquals(version, LanceTestReads.version(uri("reel_scenes")), "settled: no version");

      // More failed groups than this run allows: one line, and the group waits for the next.
      Counting.failNegative = true;
      spark.sql("INSERT INTO reels VALUES (4, 0, -0.5)");
      AnalysisException tooMany =
          assertThrows(
              AnalysisException.class,
              () ->
                  spark.sql(
                      "REFRESH MATERIALIZED VIEW reel_scenes OPTIONS (max_error_fraction = 0.1)"));
      assertTrue(
          tooMany.getMessage().contains("LANCET_TOO_MANY_FAILED_ROWS"), tooMany.getMessage());
      assertTrue(
          tooMany.getMessage().contains("1 of 1 groups failed, more than max_error_fraction 0.1"),
          tooMany.getMessage());
      Counting.failNegative = false;
      Counting.GROUP_CALLS.set(0);
      refresh("reel_scenes");
      assertEquals(1, Counting.GROUP_CALLS.get(), "video 4");
      assertEquals(scenes("(" + query + ")"), scenes("reel_scenes"));
    } finally {
      Counting.failNegative = false;
    }
  }

  /** {@code view}'s rows (or a query's) as JSON of {@code columns}, sorted. */
  private static List<String> json(String from, String columns) {
    return spark
        .sql("SELECT to_json(struct(" + columns + ")) FROM " + from)
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .sorted()
        .toList();
  }

  @Test
  void changedRowsPastTheDriversLimitAreStagedInLanceAndGiveTheSameRowsOfEveryColumnType() {
    spark.sql(
        "CREATE TABLE typed (id INT, text STRING, emb ARRAY<FLOAT>, s STRUCT<a: INT, b: STRING>,"
            + " bin BINARY, ts TIMESTAMP, amount DECIMAL(10, 2), tags ARRAY<STRING>)"
            + " TBLPROPERTIES ('emb.arrow.fixed-size-list.size' = '3')");
    spark.sql(
        "INSERT INTO typed VALUES (1, 'a b', array(1.0, 2.0, 3.0), named_struct('a', 1, 'b', 'x'),"
            + " X'0102', TIMESTAMP '2026-01-02 03:04:05', 12.34, array('p', 'q'))");
    String columns = "id, emb, s, bin, ts, amount, tags, position, word";
    String query =
        " AS SELECT d.id, d.emb, d.s, d.bin, d.ts, d.amount, d.tags, w.position, w.word FROM typed"
            + " d, LATERAL lancet_explode('"
            + WORDS
            + "', d.id, d.text) w";
    spark.sql("CREATE MATERIALIZED VIEW typed_held" + query);
    spark.sql("CREATE MATERIALIZED VIEW typed_staged" + query);
    spark.sql(
        "INSERT INTO typed VALUES (2, 'c d e', array(4.0, 5.0, 6.0), named_struct('a', 2, 'b',"
            + " NULL), X'03', TIMESTAMP '2026-02-03 04:05:06', -1.50, CAST(array() AS"
            + " ARRAY<STRING>)), (3, 'f', NULL, NULL, NULL, NULL, NULL, NULL)");

    Counting.CALLS.set(0);
    assertEquals(4L, refresh("typed_held").<Long>getAs("rows_added"), "held on the driver");
    assertEquals(2, Counting.CALLS.get(), "the two new rows");
    System.setProperty("lancet.views.held-bytes", "1");
    try {
      assertEquals(4L, refresh("typed_staged").<Long>getAs("rows_added"), "staged in Lance");
    } finally {
      System.clearProperty("lancet.views.held-bytes");
    }
    assertEquals(4, Counting.CALLS.get());

    assertEquals(
        spark.table("typed_held").schema(), spark.table("typed_staged").schema(), "same types");
    List<String> held = json("typed_held", columns + ", _source_row");
    assertEquals(held, json("typed_staged", columns + ", _source_row"));
    long calls = Counting.CALLS.get();
    assertEquals(
        json(
            "typed d, LATERAL lancet_explode('" + WORDS + "', d.id, d.text) w",
            "d.id, d.emb, d.s, d.bin, d.ts, d.amount, d.tags, w.position, w.word"),
        json("typed_held", columns));
    Counting.CALLS.set(calls);
    assertEquals(6, held.size(), "2 + 3 + 1 words");
    assertTrue(held.stream().anyMatch(j -> j.contains("\"emb\":[4.0,5.0,6.0]")), held.toString());
    Path staging =
        Path.of(uri("typed_staged").replaceFirst("^file://", "")).resolve("_lancet/staging");
    assertTrue(
        !Files.exists(staging) || staging.toFile().list().length == 0, "no staged copy is left");
  }

  @Test
  void aRefreshAfterItsSourceDroppedAColumnTheViewReadsFailsInOneLineAndChangesNothing() {
    spark.sql("CREATE TABLE shrinking (id INT, text STRING, note STRING)");
    spark.sql("INSERT INTO shrinking VALUES (1, 'a b', 'x')");
    spark.sql(
        "CREATE MATERIALIZED VIEW shrinking_words AS SELECT d.id, d.note, w.position, w.word FROM"
            + " shrinking d, LATERAL lancet_explode('"
            + WORDS
            + "', d.id, d.text) w");
    spark.sql("INSERT INTO shrinking VALUES (2, 'c', 'y')");
    assertEquals(1L, refresh("shrinking_words").<Long>getAs("source_rows_read"));

    spark.sql("ALTER TABLE shrinking DROP COLUMN note");
    spark.sql("INSERT INTO shrinking VALUES (3, 'd')");
    long version = LanceTestReads.version(uri("shrinking_words"));
    Counting.CALLS.set(0);
    AnalysisException e = assertThrows(AnalysisException.class, () -> refresh("shrinking_words"));
    assertTrue(e.getMessage().contains("LANCET_UNSUPPORTED"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("materialized view lancet.default.shrinking_words: its query fails:"),
        e.getMessage());
    assertTrue(e.getMessage().contains("`d`.`note` cannot be resolved"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertEquals(version, LanceTestReads.version(uri("shrinking_words")), "the view unchanged");
    assertEquals(0, Counting.CALLS.get());
  }

  @Test
  void queriesThatMixRowsAreRefusedInOneLine() {
    spark.sql("CREATE TABLE mixed (id INT, text STRING)");
    AnalysisException e =
        assertThrows(
            AnalysisException.class,
            () ->
                spark.sql(
                    "CREATE MATERIALIZED VIEW counts AS SELECT text, count(*) AS n FROM mixed"
                        + " GROUP BY text"));
    assertTrue(e.getMessage().contains("LANCET_UNSUPPORTED"), e.getMessage());
    assertTrue(e.getMessage().contains("mixes rows (Aggregate)"), e.getMessage());
    assertThrows(
        AnalysisException.class,
        () -> spark.sql("CREATE MATERIALIZED VIEW joined AS SELECT a.id FROM mixed a, mixed b"));
    assertThrows(AnalysisException.class, () -> spark.sql("REFRESH MATERIALIZED VIEW mixed"));
    assertEquals(null, listed("counts"));
    assertEquals(null, listed("joined"));
  }
}
