package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.TableFiles;
import dev.lancet.testing.udfs.Noise;
import dev.lancet.udf.UdfInspector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk fills up while a column file is written (a small file system of its own, mounted for the
 * test: the build runs as root). The backfill fails with the cause, the table stays at its last
 * version and readable, and once there is room the same backfill completes.
 */
class DiskFullTest {
  /**
   * One task for the fragment: a split fragment's ranges are assembled into its file by a second
   * write, which needs room for the column twice (the 8 MB disk holds a 5 MB column once).
   */
  private static final long WHOLE = Integer.MAX_VALUE;

  @TempDir Path dir;
  private Path disk;

  @BeforeEach
  void mountASmallDisk() throws Exception {
    disk = Files.createDirectories(dir.resolve("small"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", disk.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(mount.getInputStream().readAllBytes());
    assertEquals(0, mount.waitFor(), "mounting an 8 MB tmpfs for the test (needs root): " + out);
  }

  @AfterEach
  void unmount() throws Exception {
    new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor();
  }

  @Test
  void aColumnFileThatDoesNotFitFailsTheBackfillAndTheTableStaysAsItWas() throws Exception {
    String uri = LanceTestTables.create(disk, "t", 1, 10_000);
    VirtualColumns.add(
        uri, Map.of(), "noise", UdfInspector.inspect(Noise.class, Map.of(), List.of("id")));
    long version = LanceTestReads.version(uri);
    Path filler = disk.resolve("filler");
    long free = Files.getFileStore(disk).getUsableSpace();
    Files.write(filler, new byte[(int) (free - 2_000_000)]); // 2 MB left; the column is 5 MB

    BackfillException e =
        assertThrows(
            BackfillException.class, () -> Backfill.of(uri, "noise").taskSize(WHOLE).run());

    assertTrue(
        e.getMessage().toLowerCase().contains("no space left")
            || e.getMessage().contains("ENOSPC")
            || e.getMessage().contains("os error 28"),
        e.getMessage());
    assertEquals(version, LanceTestReads.version(uri), "nothing committed");
    assertEquals(
        10_000, LanceTestReads.rows(uri, List.of("id")).size(), "the table reads as before");
    TableFiles.assertEveryReferencedFileExists(uri);

    Files.delete(filler);
    BackfillResult result = Backfill.of(uri, "noise").taskSize(WHOLE).run();

    assertEquals(10_000, result.rowsComputed() + result.rowsSkipped());
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "noise"))) {
      byte[] expected = new byte[512];
      new SplittableRandom((Integer) row.get("id")).nextBytes(expected);
      assertTrue(
          Arrays.equals(expected, (byte[]) row.get("noise")), "noise of id " + row.get("id"));
    }
    TableFiles.assertEveryReferencedFileExists(uri);
    assertEquals(List.of(), TableFiles.orphans(uri), "the file that did not fit is gone");
  }
}
