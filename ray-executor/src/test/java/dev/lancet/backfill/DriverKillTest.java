package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.testing.BackfillMain;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.TableFiles;
import dev.lancet.testing.udfs.SlowArea;
import dev.lancet.udf.UdfInspector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver is killed with -9 just before its commit and just after it (the crash while computing
 * is {@link CrashResumeTest}). The table is always at a committed version with every file it
 * references, the job shows as abandoned, and the rerun commits or skips the finished work without
 * computing it again.
 */
class DriverKillTest {
  @TempDir Path dir;
  private String uri;
  private Path calls;

  @BeforeEach
  void table() {
    uri = LanceTestTables.create(dir, "t", 3, 10);
    VirtualColumns.add(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(SlowArea.class, Map.of(), List.of("id", "x", "y")));
    calls = dir.resolve("calls.txt");
    System.setProperty("lancet.test.calls", calls.toString());
    System.setProperty("lancet.jobs.abandoned-after-ms", "500");
  }

  @AfterEach
  void restore() {
    System.clearProperty("lancet.jobs.abandoned-after-ms");
  }

  private void killAt(String point) throws Exception {
    Path marker = dir.resolve("paused");
    Process child =
        dev.lancet.testing.ChildJvms.start(
            BackfillMain.class,
            List.of(
                "-Dlancet.test.calls=" + calls,
                "-Dlancet.test.pause=" + point,
                "-Dlancet.test.marker=" + marker),
            List.of(uri, "area", "5"),
            dir.resolve("child.log"));
    dev.lancet.testing.ChildJvms.killWhen(
        child, dir.resolve("child.log"), point, () -> Files.exists(marker));
  }

  private long calls() throws IOException {
    return Files.readAllLines(calls).size();
  }

  private void assertAreas() {
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
  }

  @Test
  void killedJustBeforeItsCommitTheRerunCommitsTheFinishedFilesWithoutComputing() throws Exception {
    long version = LanceTestReads.version(uri);
    killAt("beforeCommit");
    assertEquals(version, LanceTestReads.version(uri), "nothing was committed");
    assertEquals(30, calls());
    Thread.sleep(600);
    assertEquals(JobStatus.ABANDONED, BackfillJobs.list(uri, Map.of()).get(0).status());

    BackfillResult rerun = Backfill.of(uri, "area").run();

    assertEquals(
        0,
        rerun.rowsComputed(),
        "the files recorded before the commit were committed as they were: " + rerun);
    assertEquals(30, calls(), "no UDF call");
    assertEquals(3, rerun.fragmentsCommitted());
    TableFiles.assertEveryReferencedFileExists(uri);
    assertAreas();
  }

  @Test
  void killedJustAfterItsCommitTheRerunFindsEverythingCurrent() throws Exception {
    long version = LanceTestReads.version(uri);
    killAt("afterCommit");
    assertEquals(version + 1, LanceTestReads.version(uri), "the commit landed");

    BackfillResult rerun = Backfill.of(uri, "area").run();

    assertEquals(0, rerun.rowsComputed());
    assertEquals(0, rerun.commits());
    assertEquals(30, calls());
    TableFiles.assertEveryReferencedFileExists(uri);
    assertAreas();
  }
}
