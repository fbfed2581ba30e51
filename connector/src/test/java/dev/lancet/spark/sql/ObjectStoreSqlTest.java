package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.lance.StoredObjects;
import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.testing.SparkTestSession;
import dev.lancet.testing.S3TestServer;
import dev.lancet.testing.udfs.Counting;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole SQL flow on a warehouse in an S3 bucket of a real S3-compatible server (moto's server
 * process, {@link S3TestServer}): every statement, and nothing Lancet wrote holds the credentials.
 */
@Tag("s3")
class ObjectStoreSqlTest {
  private static final String COUNTING = "dev.lancet.testing.udfs.Counting$Area";
  private static final String BUCKET = "lancet-sql";
  private static S3TestServer s3;
  private static SparkTestSession session;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    s3 = S3TestServer.start();
    String bucket = s3.createBucket(BUCKET);
    session = new SparkTestSession(bucket + "/warehouse", s3.storageOptions());
    spark = session.spark();
  }

  @AfterAll
  static void stop() {
    if (session != null) {
      session.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static Row backfill(String sql, long rows) {
    return dev.lancet.spark.testing.CountedBackfills.run(spark, sql, rows);
  }

  private static String areas(String table) {
    return spark.sql("SELECT id, area FROM " + table + " ORDER BY id").collectAsList().stream()
        .map(r -> r.get(0) + "=" + r.get(1))
        .collect(Collectors.joining(","));
  }

  @Test
  void theReferenceFlowRunsOnATableInAnS3Bucket() {
    spark.sql("CREATE TABLE videos (id INT, x INT, y INT, name STRING)");
    spark.sql(
        "INSERT INTO videos VALUES (1, 2, 3, 'a.mp4'), (2, 3, 4, 'ab.mp4'), (3, 4, 5, 'b.mp4')");
    spark.sql("INSERT INTO videos VALUES (4, 5, 6, 'c.mp4'), (5, 6, 7, 'a5.mp4')");
    spark.sql("ALTER TABLE videos ADD COLUMN area USING UDF '" + COUNTING + "'");

    backfill("BACKFILL videos (area) WHERE name LIKE 'a%'", 3);
    assertEquals("1=6,2=12,3=null,4=null,5=42", areas("videos"));
    Row rest = backfill("BACKFILL videos (area)", 2);
    long version = rest.getLong(rest.fieldIndex("table_version"));
    Row again = backfill("BACKFILL videos (area)", 0);
    assertEquals(0, again.getInt(again.fieldIndex("commits")));
    assertEquals(version, again.getLong(again.fieldIndex("table_version")));

    spark.sql("INSERT INTO videos VALUES (6, 7, 8, 'd.mp4')");
    backfill("BACKFILL videos (area)", 1);
    spark.sql("DELETE FROM videos WHERE id = 2");
    backfill("BACKFILL videos (area)", 0);
    assertEquals("1=6,3=20,4=30,5=42,6=56", areas("videos"));

    List<Row> jobs = spark.sql("SHOW BACKFILL JOBS IN videos").collectAsList();
    assertEquals(5, jobs.size(), jobs.toString());
    assertTrue(jobs.stream().allMatch(j -> "succeeded".equals(j.getAs("status"))), jobs.toString());
    assertEquals(1, spark.sql("SHOW VIRTUAL COLUMNS IN videos").count());
    String described = spark.sql("DESCRIBE TABLE videos").collectAsList().toString();
    assertTrue(described.contains("area"), described);

    List<String> keys = s3.keys(BUCKET, "");
    assertTrue(keys.stream().allMatch(k -> k.startsWith("warehouse/")), keys.toString());
    assertTrue(
        keys.stream().anyMatch(k -> k.contains("/_lancet/jobs/")),
        "job records in the bucket: " + keys);
    for (String key : keys) {
      String text = new String(s3.get(BUCKET, key), StandardCharsets.ISO_8859_1);
      assertFalse(
          text.contains(s3.storageOptions().get("secret_access_key")),
          "the secret key is written in " + key);
      assertFalse(
          text.contains(s3.storageOptions().get("access_key_id")),
          "the access key is written in " + key);
    }

    spark.sql("DROP TABLE videos");
    assertEquals(
        0,
        spark.sql("SHOW TABLES").collectAsList().stream()
            .filter(r -> "videos".equals(r.getAs("tableName")))
            .count());
  }

  private static String words(String view) {
    return spark.sql("SELECT id, position, word FROM " + view).collectAsList().stream()
        .map(r -> r.getInt(0) + ":" + r.getInt(1) + ":" + r.getString(2))
        .sorted()
        .collect(Collectors.joining(","));
  }

  private static Row refresh(String view) {
    return spark.sql("REFRESH MATERIALIZED VIEW " + view).first();
  }

  @Test
  void aMaterializedViewInTheBucketRefreshesExactlyWhatChangedUnderItsLease() throws Exception {
    spark.sql("CREATE TABLE notes (id INT, text STRING)");
    spark.sql("INSERT INTO notes VALUES (1, 'a b'), (2, 'c')");
    spark.sql(
        "CREATE MATERIALIZED VIEW note_words AS SELECT d.id, w.position, w.word FROM notes d,"
            + " LATERAL lancet_explode('dev.lancet.testing.udfs.Counting$Words', d.id, d.text) w");
    assertEquals("1:0:a,1:1:b,2:0:c", words("note_words"));
    String viewUri = TableNameResolver.resolve(spark, List.of("note_words")).datasetUri();
    assertTrue(viewUri.startsWith("s3://" + BUCKET + "/"), viewUri);

    Counting.CALLS.set(0);
    spark.sql("INSERT INTO notes VALUES (3, 'd e')");
    spark.sql("UPDATE notes SET text = 'f' WHERE id = 2");
    spark.sql("DELETE FROM notes WHERE id = 1");
    Row changed = refresh("note_words");
    assertEquals(2L, changed.<Long>getAs("source_rows_read"), "the new row and the updated one");
    assertEquals(2, Counting.CALLS.get());
    assertEquals("2:0:f,3:0:d,3:1:e", words("note_words"));
    Row again = refresh("note_words");
    assertEquals(0L, again.<Long>getAs("source_rows_read"));
    assertEquals(changed.<Long>getAs("view_version"), again.<Long>getAs("view_version"));

    // Another session's lease, renewed just now: this refresh changes nothing.
    String lease = viewUri + "/_lancet/refresh.lease";
    StoredObjects.write(
        lease,
        "{\"holder\":\"process 4242@elsewhere\",\"renewed\":" + System.currentTimeMillis() + "}",
        s3.storageOptions());
    spark.sql("INSERT INTO notes VALUES (4, 'g')");
    AnalysisException busy = assertThrows(AnalysisException.class, () -> refresh("note_words"));
    assertEquals("LANCET_CONCURRENT_WRITE", busy.getErrorClass());
    assertTrue(busy.getMessage().contains("process 4242@elsewhere"), busy.getMessage());
    assertEquals("2:0:f,3:0:d,3:1:e", words("note_words"));

    // Its process died: a lease not renewed for its term is taken over, and released after.
    StoredObjects.write(
        lease,
        "{\"holder\":\"process 4242@elsewhere\",\"renewed\":"
            + (System.currentTimeMillis() - 120_000)
            + "}",
        s3.storageOptions());
    Counting.CALLS.set(0);
    // Changed rows past the driver's limit are staged as a Lance copy in the bucket: these are.
    System.setProperty("lancet.views.held-bytes", "1");
    try {
      assertEquals(1L, refresh("note_words").<Long>getAs("source_rows_read"));
    } finally {
      System.clearProperty("lancet.views.held-bytes");
    }
    assertEquals(1, Counting.CALLS.get());
    assertEquals("2:0:f,3:0:d,3:1:e,4:0:g", words("note_words"));
    assertEquals(null, StoredObjects.read(lease, s3.storageOptions()), "the lease is released");
    assertTrue(
        spark.sql("SHOW MATERIALIZED VIEWS").collectAsList().stream()
            .anyMatch(r -> r.getString(0).endsWith(".note_words") && r.getBoolean(4)));

    String prefix = viewUri.substring(("s3://" + BUCKET + "/").length());
    assertTrue(
        s3.keys(BUCKET, prefix + "/_lancet/").stream().noneMatch(k -> k.contains("/staging/")),
        "no staged copy left");
    spark.sql("DROP MATERIALIZED VIEW note_words");
    assertEquals(List.of(), s3.keys(BUCKET, prefix + "/"), "the view's objects are gone");
  }

  /** Rows of {@code table} whose loaded columns differ from {@code source}'s by id. */
  private static long wrongLoaded(String table, String source) {
    return spark
        .sql(
            "SELECT count(*) FROM "
                + table
                + " t JOIN "
                + source
                + " s ON t.id = s.id WHERE NOT (t.emb <=> s.emb) OR NOT (t.label <=> s.label)")
        .first()
        .getLong(0);
  }

  private static long loadItems(String options) {
    Row r =
        spark
            .sql("ALTER TABLE s3_items LOAD COLUMNS (emb, label) FROM s3_feats KEY (id)" + options)
            .first();
    return r.getLong(r.fieldIndex("rows_computed"));
  }

  @Test
  void columnsLoadByKeyIntoATableInTheBucketOnBothEnginesWithoutWritingItsCredentials() {
    spark.sql("CREATE TABLE s3_items (id BIGINT, x INT)");
    spark.sql("INSERT INTO s3_items SELECT id, CAST(id AS INT) FROM range(0, 100)");
    spark.sql("CREATE TABLE s3_feats (id BIGINT, emb ARRAY<FLOAT>, label STRING)");
    spark.sql(
        "INSERT INTO s3_feats SELECT id, array(CAST(id AS FLOAT), 1.5), concat('l', id)"
            + " FROM range(20, 105)");
    String uri = TableNameResolver.resolve(spark, List.of("s3_items")).datasetUri();
    assertTrue(uri.startsWith("s3://" + BUCKET + "/"), uri);

    assertEquals(100L, loadItems(""));
    assertEquals(0L, wrongLoaded("s3_items", "s3_feats"));
    assertEquals(
        20L, spark.sql("SELECT count(*) FROM s3_items WHERE label IS NULL").first().getLong(0));
    long loaded = dev.lancet.testing.LanceTestReads.version(uri, s3.storageOptions());
    assertEquals(0L, loadItems(""), "the same source again");
    assertEquals(loaded, dev.lancet.testing.LanceTestReads.version(uri, s3.storageOptions()));

    // A changed source, loaded by Spark's executors: every row again, the first copy deleted.
    spark.sql("UPDATE s3_feats SET label = 'changed' WHERE id < 30");
    assertEquals(100L, loadItems(" OPTIONS (engine = 'spark')"));
    assertEquals(0L, wrongLoaded("s3_items", "s3_feats"));
    assertEquals(
        10L, spark.sql("SELECT count(*) FROM s3_items WHERE label = 'changed'").first().getLong(0));
    String prefix = uri.substring(("s3://" + BUCKET + "/").length()) + "/_lancet/loads/";
    List<String> staged =
        s3.keys(BUCKET, prefix).stream()
            .map(k -> k.substring(prefix.length()).split("/")[0])
            .distinct()
            .toList();
    assertEquals(1, staged.size(), "one staged source: " + staged);

    for (String key : s3.keys(BUCKET, "")) {
      String text = new String(s3.get(BUCKET, key), StandardCharsets.ISO_8859_1);
      assertFalse(
          text.contains(s3.storageOptions().get("secret_access_key")),
          "the secret key is written in " + key);
    }
  }
}
