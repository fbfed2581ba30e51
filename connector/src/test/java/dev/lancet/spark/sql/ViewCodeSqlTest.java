package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.SparkSqlTest;
import dev.lancet.spark.testing.SqlMain;
import dev.lancet.testing.ChildJvms;
import dev.lancet.testing.ExternalJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A materialized view whose 1:N UDF is the user's, compiled outside the build against Guava 18 (the
 * engine carries 33.3, which lacks the method it calls), added to the session with {@code ADD JAR}:
 * the view's code is pinned at CREATE, so it runs with its own Guava and refreshes from a session
 * that has neither jar.
 */
class ViewCodeSqlTest extends SparkSqlTest {
  private static final String CHUNKER = "com.acme.views.Tagged";
  @TempDir static Path dir;

  @BeforeAll
  static void addTheUsersJars() {
    Path guava18 = ExternalJars.userDep("guava-18.0.jar");
    Path jar =
        ExternalJars.compile(
            dir.resolve("acme-chunkers.jar"),
            Map.of(
                CHUNKER,
                "package com.acme.views;\n"
                    + "public class Tagged {\n"
                    + "  public record Word(int pos, String word, String tag) {}\n"
                    + "  public java.util.List<Word> call(String text) {\n"
                    + "    java.util.List<Word> out = new java.util.ArrayList<>();\n"
                    + "    String[] words = text.split(\" \");\n"
                    + "    for (int i = 0; i < words.length; i++) {\n"
                    // Objects.toStringHelper is gone from Guava 21 on: only Guava 18 has it.
                    + "      out.add(new Word(i, words[i], com.google.common.base.Objects"
                    + ".toStringHelper(\"w\").add(\"i\", i).toString()));\n"
                    + "    }\n"
                    + "    return out;\n"
                    + "  }\n"
                    + "}\n"),
            List.of(guava18));
    spark.sql("ADD JAR '" + jar + "'");
    spark.sql("ADD JAR '" + guava18 + "'"); // behind the engine's Guava in the session's loader
  }

  private static String rows(String view) {
    return spark
        .sql("SELECT id, pos, word, tag FROM " + view + " ORDER BY id, pos")
        .collectAsList()
        .stream()
        .map(r -> r.get(0) + ":" + r.get(1) + ":" + r.get(2) + ":" + r.get(3))
        .collect(Collectors.joining(","));
  }

  @Test
  void aViewOfTheUsersUdfRunsItsOwnLibraryAndRefreshesInASessionWithoutItsJars() throws Exception {
    spark.sql("CREATE TABLE notes (id INT, text STRING)");
    spark.sql("INSERT INTO notes VALUES (1, 'a b'), (2, 'c')");
    spark.sql(
        "CREATE MATERIALIZED VIEW note_words AS SELECT n.id, w.* FROM notes n, LATERAL"
            + " lancet_explode('"
            + CHUNKER
            + "', n.text) w");
    assertEquals("1:0:a:w{i=0},1:1:b:w{i=1},2:0:c:w{i=0}", rows("note_words"));

    spark.sql("INSERT INTO notes VALUES (3, 'd e')");
    Path log = dir.resolve("refresh.log");
    Process child =
        ChildJvms.start(
            SqlMain.class,
            List.of(),
            List.of(session.warehouse().toString(), "REFRESH MATERIALIZED VIEW note_words"),
            log);
    assertTrue(child.waitFor(180, TimeUnit.SECONDS), "the refresh did not end");
    String out = Files.readString(log);
    assertEquals(0, child.exitValue(), out);
    assertTrue(out.contains("source_rows_read=1") && out.contains("rows_added=2"), out);

    assertEquals(
        "1:0:a:w{i=0},1:1:b:w{i=1},2:0:c:w{i=0},3:0:d:w{i=0},3:1:e:w{i=1}", rows("note_words"));
    assertEquals(
        0L,
        spark.sql("REFRESH MATERIALIZED VIEW note_words").first().<Long>getAs("source_rows_read"));
  }

  @Test
  void theSameUdfInAPlainQueryRunsItsOwnLibraryToo() {
    // Before, a plain query loaded from the session's loader, where Guava 33.3 comes first, and
    // the call failed with NoSuchMethodError.
    String got =
        spark
            .sql(
                "SELECT n.id, w.word, w.tag FROM VALUES (7, 'x y') AS n(id, text), LATERAL"
                    + " lancet_explode('"
                    + CHUNKER
                    + "', n.text) w ORDER BY w.pos")
            .collectAsList()
            .stream()
            .map(r -> r.get(0) + ":" + r.get(1) + ":" + r.get(2))
            .collect(Collectors.joining(","));
    assertEquals("7:x:w{i=0},7:y:w{i=1}", got);
  }
}
