package dev.lancet.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.ExternalJars;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) in the interactive console while a BACKFILL runs: the backfill stops, the console
 * prints a one-line error and takes the next statement, and the job is recorded cancelled. The
 * console is a process of its own, as users run it.
 */
class ConsoleInterruptTest {
  private static final String SLOW =
      "package com.acme.slow;\n"
          + "import java.nio.file.*;\n"
          + "public class SlowArea {\n"
          + "  private final Path calls;\n"
          + "  public SlowArea(java.util.Map<String, String> options) { calls ="
          + " Path.of(options.get(\"calls\")); }\n"
          + "  public long call(int x, int y) throws Exception {\n"
          + "    Thread.sleep(40);\n"
          + "    Files.writeString(calls, x + \"\\n"
          + "\", StandardOpenOption.CREATE, StandardOpenOption.APPEND);\n"
          + "    return (long) x * y;\n"
          + "  }\n"
          + "}\n";

  @TempDir Path dir;

  /**
   * What the console's command starts with, so that it runs with SIGINT at its default. Started in
   * the background by a non-interactive shell (bin/test in the background, nohup, a CI runner),
   * this JVM ignores SIGINT and its children inherit that; a JVM started so never installs its
   * handler, and the console would not see Ctrl-C. Neither a shell (its trap cannot reset a signal
   * ignored on entry) nor the JVM can undo that; GNU env's --default-signal can.
   */
  private static List<String> sigintAtDefault() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (Files.isReadable(status)) {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("SigIgn:")
            && (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0) {
          return List.of("env", "--default-signal=INT"); // bit 1: signal 2, SIGINT
        }
      }
    }
    return List.of();
  }

  @Test
  void ctrlCCancelsTheRunningBackfillAndTheConsoleGoesOn() throws Exception {
    Path jar =
        ExternalJars.compile(dir.resolve("slow.jar"), Map.of("com.acme.slow.SlowArea", SLOW));
    Path calls = dir.resolve("calls.txt");
    List<String> command = new ArrayList<>(sigintAtDefault());
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(
                a ->
                    a.startsWith("--add-opens")
                        || a.startsWith("-XX:+Ignore")
                        || a.startsWith("-Djdk.reflect")
                        || a.startsWith("-Djava.io.tmpdir"))
            .toList());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "dev.lancet.spark.cli.LancetSql",
            "--warehouse",
            dir.resolve("wh").toString(),
            "--master",
            "local[2]",
            "--jars",
            jar.toString()));
    Process console =
        new ProcessBuilder(command)
            .redirectError(dir.resolve("stderr.txt").toFile())
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .start();
    try (OutputStream in = console.getOutputStream()) {
      StringBuilder rows = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        rows.append(i == 0 ? "" : ", ").append("(").append(i).append(", 2)");
      }
      in.write(
          ("CREATE TABLE slow (x INT, y INT);\nINSERT INTO slow VALUES "
                  + rows
                  + ";\n"
                  + "ALTER TABLE slow ADD COLUMN area USING UDF 'com.acme.slow.SlowArea' OPTIONS"
                  + " ('calls' = '"
                  + calls
                  + "');\n"
                  + "BACKFILL slow (area) OPTIONS (batch_size = 5, concurrency = 1,"
                  + " checkpoint_interval = 0);\n")
              .getBytes(StandardCharsets.UTF_8));
      in.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while ((!Files.exists(calls) || Files.readAllLines(calls).size() < 10)
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(
          Files.exists(calls),
          "the backfill started:\n" + Files.readString(dir.resolve("stderr.txt")));

      new ProcessBuilder("kill", "-INT", String.valueOf(console.pid())).start().waitFor();

      while (!Files.readString(dir.resolve("stderr.txt")).contains("Error:")
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      long atError = Files.readAllLines(calls).size();
      in.write(
          "SELECT 41 + 1 AS answer;\nSHOW BACKFILL JOBS IN slow;\nexit;\n"
              .getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertTrue(console.waitFor(60, TimeUnit.SECONDS), "the console ended after exit;");
      String out = Files.readString(dir.resolve("stdout.txt"));
      String err = Files.readString(dir.resolve("stderr.txt"));
      assertEquals(0, console.exitValue(), err);
      assertTrue(err.contains("Cancelling the running statement"), err);
      assertTrue(
          err.contains(
              "Error: [LANCET_BACKFILL_CANCELLED] column 'area': the backfill was cancelled (Ctrl-C"
                  + " in lancet-sql)"),
          err);
      assertTrue(!err.contains("\tat "), "no stack trace:\n" + err);
      assertTrue(out.contains("| 42     |"), "the next statement ran:\n" + out);
      assertTrue(out.contains("| cancelled "), "the job is recorded cancelled:\n" + out);
      assertTrue(atError < 200, "the backfill stopped: " + atError + " of 200 rows computed");
      assertEquals(
          atError, Files.readAllLines(calls).size(), "and computed nothing after its error");
    } finally {
      console.destroyForcibly();
    }
  }
}
