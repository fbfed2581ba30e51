package dev.lancet.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.CliRun;
import dev.lancet.testing.ExternalJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad inputs a new user met, each answered in the console by one line that says what is wrong
 * and where, with no stack trace, a non-zero exit, and the table unchanged.
 */
class BadInputTest {
  private static final String BROKEN =
      """
      package com.acme.broken;

      public class NeedsModel {
        public NeedsModel() {
          throw new IllegalStateException("model file /models/m.bin not found");
        }

        public long call(int x) {
          return x;
        }
      }
      """;

  @TempDir Path dir;

  @Test
  void eachBadStatementIsOneLineAndTheTableIsUnchanged() {
    Path jar =
        ExternalJars.compile(
            dir.resolve("broken.jar"), Map.of("com.acme.broken.NeedsModel", BROKEN));
    Path warehouse = dir.resolve("wh");
    String setup =
        "CREATE TABLE b (id INT, x INT, y INT); INSERT INTO b VALUES (1, 2, 3);"
            + " ALTER TABLE b ADD COLUMN area USING UDF 'dev.lancet.testing.udfs.Area';"
            + " CREATE TABLE f (id INT); INSERT INTO f VALUES (1), (7);"
            + " ALTER TABLE f ADD COLUMN seven USING UDF 'dev.lancet.testing.udfs.FailsOnSeven';";
    assertEquals(0, CliRun.run(warehouse, "", "-e", setup).code());
    List<String> statements =
        List.of(
            "ADD JAR '" + dir.resolve("missing.jar") + "'",
            "ALTER TABLE b ADD COLUMN a2 USING UDF 'dev.lancet.testing.udfs.Area'"
                + " OPTIONS (batchsize = '10')",
            "ALTER TABLE b ADD COLUMN a3 USING UDF 'com.acme.broken.NeedsModel'",
            "ALTER TABLE b DROP COLUMN nope",
            "BACKFILL b (area) OPTIONS (batch_size = -5)",
            "BACKFILL b (area) OPTIONS (batchsize = 5)",
            "BACKFILL b (area) WHERE x >>> 3",
            "BACKFILL b (area) WHERE nocol > 3",
            // Fails while its job runs: the job's Spark task ends before the session does.
            "BACKFILL f (seven) OPTIONS (on_error = 'fail')");
    List<String> expected =
        List.of(
            "Error: [LANCET_PATH_NOT_FOUND] ADD JAR: "
                + dir.resolve("missing.jar")
                + " does not exist",
            "Error: [LANCET_INVALID_OPTION] UDF dev.lancet.testing.udfs.Area: unknown option"
                + " 'batchsize' (did you mean 'batch_size'?)",
            "Error: [LANCET_UDF_FAILED] UDF com.acme.broken.NeedsModel: constructor threw"
                + " java.lang.IllegalStateException: model file /models/m.bin not found",
            "Missing field nope in table lancet.default.b; its columns are id, x, y, area",
            "BACKFILL option 'batch_size' must be a positive integer, got '-5'",
            "unknown BACKFILL option 'batchsize' (did you mean 'batch_size'?)",
            "Error: [LANCET_INVALID_FILTER] invalid filter 'x >>> 3': syntax error: Expected: an"
                + " expression, found: >",
            "Error: [LANCET_INVALID_FILTER] invalid filter 'nocol > 3': no column named nocol; the"
                + " table's columns are id, x, y, area",
            "id 7 is not allowed");
    for (int i = 0; i < statements.size(); i++) {
      CliRun run =
          CliRun.run(warehouse, "", "--jars", jar.toString(), "-e", statements.get(i) + ";");
      assertEquals(1, run.code(), statements.get(i) + ":\n" + run.err());
      List<String> errors =
          Arrays.stream(run.err().split("\n")).filter(l -> l.startsWith("Error: ")).toList();
      assertEquals(1, errors.size(), run.err());
      assertTrue(errors.get(0).contains(expected.get(i)), errors.get(0));
      assertFalse(run.err().contains("\tat "), "no stack trace:\n" + run.err());
      assertFalse(run.err().contains("ERROR "), "no error logged:\n" + run.err());
    }
    CliRun after = CliRun.run(warehouse, "", "-e", "SELECT * FROM b;");
    assertTrue(after.out().contains("| id | x | y | area |"), after.out());
  }

  @Test
  void aWarehouseThatIsAFileIsOneLineAndAUsageExit() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    CliRun run = CliRun.run(file, "", "-e", "SELECT 1;");
    assertEquals(2, run.code());
    assertEquals("Error: the warehouse " + file + " is a file, not a directory\n", run.err());
  }
}
