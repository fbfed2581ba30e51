package dev.lancet.ray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.lance.NativeLibraryCopies;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.OpenTableMain;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JVMs killed with -9 leave their copy of lance's native library in the temp directory; the next
 * Lancet JVM removes the copies no live process maps, and leaves the live ones.
 */
class NativeLibraryCopiesTest {
  @TempDir Path dir;

  private Process child(Path tmp, String uri) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(
                a ->
                    a.startsWith("--add-opens")
                        || a.startsWith("-XX:+Ignore")
                        || a.startsWith("-Djdk.reflect"))
            .toList());
    command.addAll(
        List.of(
            "-Djava.io.tmpdir=" + tmp,
            "-cp",
            System.getProperty("java.class.path"),
            OpenTableMain.class.getName(),
            uri));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static List<Path> copies(Path tmp) throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(p -> p.getFileName().toString().startsWith("liblance_jni")).toList();
    }
  }

  private static void awaitOpened(Process p) throws IOException {
    java.io.BufferedReader out =
        new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      if (line.equals("opened")) {
        return;
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the child ended without opening the table:\n" + seen);
  }

  @Test
  void copiesOfKilledJvmsAreRemovedAndThoseOfLiveOnesKept() throws Exception {
    String uri = LanceTestTables.create(dir, "t", 1, 3);
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Process killed = child(tmp, uri);
    Process alive = child(tmp, uri);
    try {
      awaitOpened(killed);
      awaitOpened(alive);
      assertEquals(2, copies(tmp).size(), "each JVM unpacked its own copy");
      killed.destroyForcibly(); // SIGKILL: its deleteOnExit never runs
      assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
      assertEquals(2, copies(tmp).size(), "the dead JVM's copy stayed behind");

      List<Path> removed = NativeLibraryCopies.removeUnused(tmp, Duration.ZERO);

      assertEquals(
          1,
          removed.stream()
              .filter(p -> p.getFileName().toString().startsWith("liblance_jni"))
              .count(),
          "the dead JVM's copy: " + removed);
      assertEquals(1, copies(tmp).size(), "the live JVM's copy is still there (it maps it)");
      assertEquals(
          List.of(),
          NativeLibraryCopies.removeUnused(tmp, Duration.ZERO),
          "nothing more to remove");
    } finally {
      alive.destroyForcibly();
      alive.waitFor(30, TimeUnit.SECONDS);
    }
    NativeLibraryCopies.removeUnused(tmp, Duration.ZERO);
    assertEquals(List.of(), copies(tmp), "once it is gone too, so is its copy");
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList(), "nothing of either JVM is left");
    }
  }

  @Test
  void aYoungUnmappedCopyIsLeftForTheJvmThatIsLoadingIt() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp2"));
    Path young = Files.writeString(tmp.resolve("liblance_jni123.so"), "being unpacked");
    assertEquals(List.of(), NativeLibraryCopies.removeUnused(tmp, Duration.ofMinutes(2)));
    assertTrue(Files.exists(young));
  }
}
