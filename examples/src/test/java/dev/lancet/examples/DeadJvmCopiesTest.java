package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.cli.LancetSql;
import dev.lancet.testing.ChildJvms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every JVM that loads Lance removes the native-library copies dead JVMs left in its temp
 * directory, whatever statement it runs: a console that only runs {@code SELECT 1} does too.
 */
class DeadJvmCopiesTest {
  @TempDir Path dir;

  @Test
  void aConsoleThatRunsOnlyASelectRemovesADeadJvmsCopy() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    // What a JVM killed with -9 leaves: a copy nobody maps, older than the grace.
    Path dead = Files.writeString(tmp.resolve("liblance_jni4242.so"), "a dead JVM's copy");
    Files.setLastModifiedTime(dead, FileTime.from(Instant.now().minusSeconds(600)));
    // The later -Djava.io.tmpdir wins over the one this JVM's flags pass on.
    Process console =
        ChildJvms.start(
            LancetSql.class,
            List.of("-Djava.io.tmpdir=" + tmp),
            List.of(
                "--warehouse",
                dir.resolve("wh").toString(),
                "--master",
                "local[1]",
                "-e",
                "SELECT 1;"),
            dir.resolve("out"));
    assertTrue(console.waitFor(120, TimeUnit.SECONDS), "the console ended");
    assertEquals(0, console.exitValue(), Files.readString(dir.resolve("out")));
    assertFalse(Files.exists(dead), "the dead JVM's copy is gone");
  }
}
