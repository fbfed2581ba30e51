package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.SparkTestSession;
import dev.lancet.testing.S3TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
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
}
