package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.TableFiles;
import dev.lancet.testing.udfs.Counting;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints damaged between a failed run and its rerun (a crash mid-write, a bad disk): a
 * truncated part record or part file is not trusted; the rows it covered are computed again, and
 * the values are those of a clean run.
 */
class CheckpointFaultTest {
  @TempDir Path dir;
  private String uri;

  @BeforeEach
  void failMidFragment() {
    uri = LanceTestTables.withCountingArea(dir);
    Counting.failFrom =
        29; // fragment 2 (ids 20..29) fails in its third batch, after 20-23 and 24-27 are
    // checkpointed
    assertThrows(
        BackfillException.class,
        () ->
            Backfill.of(uri, "area")
                .batchSize(4)
                .concurrency(1)
                .commitGranularity(100)
                .checkpointInterval(java.time.Duration.ZERO)
                .run());
    Counting.failFrom = Integer.MAX_VALUE;
    Counting.CALLS.set(0);
  }

  @AfterEach
  void reset() {
    Counting.failFrom = Integer.MAX_VALUE;
  }

  private List<Path> checkpoints(String prefix) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(uri, "_lancet", "checkpoints", "area"))) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    }
  }

  private static void truncate(Path file) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.truncate(c.size() / 2);
    }
  }

  private void assertCleanRunValues() {
    TableFiles.assertEveryReferencedFileExists(uri);
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
  }

  @Test
  void anIntactCheckpointIsResumedFrom() throws Exception {
    assertTrue(checkpoints("part-").size() >= 2, "the failed fragment left part records");
    BackfillResult rerun = Backfill.of(uri, "area").batchSize(4).run();
    assertEquals(
        2,
        Counting.CALLS.get(),
        "fragment 2 resumed after its two parts: " + Counting.CALLS.get() + " calls");
    assertEquals(30, rerun.rowsComputed() + rerun.rowsSkipped());
    assertCleanRunValues();
  }

  @Test
  void aTruncatedPartRecordIsNotTrustedAndItsRowsAreComputedAgain() throws Exception {
    truncate(checkpoints("part-").get(0));
    Backfill.of(uri, "area").batchSize(4).run();
    assertEquals(10, Counting.CALLS.get(), "fragment 2 from its start");
    assertCleanRunValues();
  }

  @Test
  void aTruncatedPartFileIsNotTrustedAndItsRowsAreComputedAgain() throws Exception {
    // The data file the second part record names: half of it is gone.
    String recorded =
        Files.readString(checkpoints("part-").get(1), java.nio.charset.StandardCharsets.ISO_8859_1);
    Path partFile = null;
    try (Stream<Path> data = Files.list(Path.of(uri, "data"))) {
      for (Path p : data.toList()) {
        if (recorded.contains(p.getFileName().toString())) {
          partFile = p;
        }
      }
    }
    assertTrue(partFile != null, "found the part's data file");
    truncate(partFile);

    Backfill.of(uri, "area").batchSize(4).run();

    assertEquals(
        6, Counting.CALLS.get(), "the rows after the first part again: " + Counting.CALLS.get());
    assertCleanRunValues();
  }
}
