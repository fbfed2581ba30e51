package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.CliRun;
import dev.lancet.testing.ExternalJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference flow of examples/user-jar/flow.sql through the console, with a UDF jar compiled
 * outside the build: given with {@code --jars}, and added with {@code ADD JAR} in the middle of a
 * session.
 */
class UserJarFlowTest {
  private static final Path SOURCE = Path.of("user-jar/src/com/acme/features/FramePixels.java");
  private static final Path BATCHED = Path.of("user-jar/src/com/acme/features/CaptionWords.java");
  private static final Path LABEL = Path.of("user-jar/src/com/acme/features/ClipLabel.java");
  private static final Path FLOW = Path.of("user-jar/flow.sql");
  @TempDir static Path work;
  private static Path jar;

  @BeforeAll
  static void compileTheUsersJar() throws Exception {
    // With Guava 18 bundled, as the README's lines build it: ClipLabel needs it.
    Path guava = Path.of("..", "ray-executor", "target", "user-deps", "guava-18.0.jar");
    jar =
        ExternalJars.bundled(
            ExternalJars.compile(
                work.resolve("acme-features.jar"),
                Map.of(
                    "com.acme.features.FramePixels",
                    Files.readString(SOURCE),
                    "com.acme.features.CaptionWords",
                    Files.readString(BATCHED),
                    "com.acme.features.ClipLabel",
                    Files.readString(LABEL)),
                List.of(guava)),
            List.of(guava));
  }

  /** rows_computed of each BACKFILL result table the console printed, in order. */
  private static List<Long> rowsComputed(String out) {
    List<Long> computed = new ArrayList<>();
    String[] lines = out.split("\n");
    for (int i = 0; i + 2 < lines.length; i++) {
      if (lines[i].startsWith("| column ") && lines[i].contains("rows_computed")) {
        computed.add(Long.parseLong(lines[i + 2].substring(1).split("\\|")[1].trim()));
      }
    }
    return computed;
  }

  private static void assertFlow(CliRun run) {
    assertEquals(0, run.code(), run.err());
    assertEquals(List.of(2L, 1L, 0L, 2L, 5L, 5L), rowsComputed(run.out()), run.out());
    assertTrue(
        run.out().contains("| clip{file=a.mp4}  |") && run.out().contains("| clip{file=c.mp4}  |"),
        "the UDF built against Guava 18 ran with it:\n" + run.out());
    assertTrue(run.out().contains("| total_words |\n+-------------+\n| 10          |"), run.out());
    List<String> pixels = CliRun.lastTable(run.out()).stream().map(r -> r[0] + "=" + r[1]).toList();
    assertEquals(
        List.of("a.mp4=307200", "ab.mp4=921600", "ac.mp4=76800", "b.mp4=2073600", "c.mp4=480000"),
        pixels);
    assertFalse(run.err().contains("\tat "), "no stack trace:\n" + run.err());
  }

  @Test
  void theReferenceFlowRunsOnAJarGivenWithJars(@TempDir Path warehouse) {
    assertFlow(CliRun.run(warehouse, "", "--jars", jar.toString(), "-f", FLOW.toString()));
  }

  @Test
  void theReferenceFlowRunsOnAJarAddedInTheMiddleOfASession(@TempDir Path warehouse)
      throws Exception {
    String script = "SELECT 1 AS started;\nADD JAR '" + jar + "';\n" + Files.readString(FLOW);
    assertFlow(CliRun.run(warehouse, "", "-e", script));
  }

  @Test
  void withoutTheJarTheColumnCannotBeAddedAndTheErrorSaysWhichClass(@TempDir Path warehouse) {
    CliRun run = CliRun.run(warehouse, "", "-f", FLOW.toString());
    assertEquals(1, run.code());
    assertTrue(
        run.err()
            .contains(
                "Error: [LANCET_UDF_NOT_FOUND] UDF class 'com.acme.features.FramePixels' was not"
                    + " found on the classpath\n"),
        run.err());
  }

  @Test
  void aMissingJarIsAUsageError(@TempDir Path warehouse) {
    CliRun run =
        CliRun.run(warehouse, "", "--jars", work.resolve("nope.jar").toString(), "-e", "SELECT 1");
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("Error: --jars: no such file: "), run.err());
  }
}
