package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.Area;
import dev.lancet.testing.udfs.FailsOnSeven;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.file.LanceFileReader;
import org.lance.fragment.DataFile;

class BackfillTest {
  @TempDir Path dir;

  @Test
  void backfillComputesEveryLiveRowAlignedByRowAddressWhenRowsWereDeleted() {
    String uri = LanceTestTables.create(dir, "t", 3, 10);
    try (RootAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      ds.delete(
          "id % 4 = 1"); // holes in every fragment, so a file of live rows only would misalign
    }
    VirtualColumns.add(uri, Map.of(), "area", UdfInspector.inspect(Area.class, Map.of()));

    BackfillResult result = Backfill.of(uri, "area").batchSize(3).commitGranularity(2).run();

    List<Map<String, Object>> rows = LanceTestReads.rows(uri, List.of("id", "x", "y", "area"));
    assertEquals(30 - 8, rows.size());
    for (Map<String, Object> row : rows) {
      int id = (Integer) row.get("id");
      assertTrue(id % 4 != 1, "deleted row " + id + " came back");
      assertEquals(
          (long) LanceTestTables.x(id) * LanceTestTables.y(id),
          row.get("area"),
          "area of id " + id);
    }
    assertEquals(22, result.rowsComputed());
    assertEquals(3, result.fragmentsCommitted());
    assertEquals(2, result.commits(), "3 fragments with commit_granularity 2 make 2 commits");
    assertEquals(LanceTestReads.version(uri), result.tableVersion());
  }

  @Test
  void aFragmentOfManyScanBatchesWithHolesAndAFilterComputesEachSelectedRowOnce() {
    // 200,000 rows of narrow inputs: read 65,536 rows at a time, handed out 8,192 at a time, with
    // holes inside some batches (a scattered delete) and a run of deleted rows across a slice edge.
    String uri = LanceTestTables.create(dir, "t", 1, 200_000);
    try (RootAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      ds.delete("id % 9973 = 5 OR (id >= 81900 AND id < 82000)");
    }
    java.util.function.IntPredicate live = id -> id % 9973 != 5 && (id < 81900 || id >= 82000);
    java.util.function.IntPredicate selected = id -> LanceTestTables.x(id) < 5;
    VirtualColumns.add(uri, Map.of(), "area", UdfInspector.inspect(Area.class, Map.of()));

    BackfillResult filtered = Backfill.of(uri, "area").where("x < 5").run();
    long expected =
        java.util.stream.IntStream.range(0, 200_000).filter(live).filter(selected).count();
    assertEquals(expected, filtered.rowsComputed());
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      int id = (Integer) row.get("id");
      assertTrue(live.test(id), "deleted row " + id + " came back");
      assertEquals(
          selected.test(id) ? (long) LanceTestTables.x(id) * LanceTestTables.y(id) : null,
          row.get("area"),
          "area of id " + id);
    }

    BackfillResult rest = Backfill.of(uri, "area").run();
    assertEquals(
        java.util.stream.IntStream.range(0, 200_000).filter(live).count() - expected,
        rest.rowsComputed(),
        "the unfiltered rerun computes only the rows the filter left out");
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
    assertEquals(0, Backfill.of(uri, "area").run().rowsComputed());
  }

  @Test
  void everyColumnFileHoldsExactlyTheFragmentsPhysicalRowsWithDeletedRowsAsNulls()
      throws Exception {
    String uri = LanceTestTables.create(dir, "t", 2, 6);
    try (RootAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      ds.delete("id = 0 OR id = 4 OR id = 11"); // first, middle and last row of fragments
    }
    VirtualColumns.add(uri, Map.of(), "area", UdfInspector.inspect(Area.class, Map.of()));
    Backfill.of(uri, "area").run();

    try (RootAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      int fieldId =
          ds.getLanceSchema().fields().stream()
              .filter(f -> f.getName().equals("area"))
              .findFirst()
              .orElseThrow()
              .getId();
      for (Fragment fragment : ds.getFragments()) {
        FragmentMetadata meta = fragment.metadata();
        DataFile file =
            meta.getFiles().stream()
                .filter(f -> Arrays.stream(f.getFields()).anyMatch(id -> id == fieldId))
                .findFirst()
                .orElseThrow();
        try (LanceFileReader reader = LanceFileReader.open(uri + "/data/" + file.getPath(), a);
            ArrowReader rows = reader.readAll(List.of("area"), null, 1024)) {
          assertEquals(meta.getPhysicalRows(), reader.numRows(), "fragment " + meta.getId());
          List<Object> values = new ArrayList<>();
          while (rows.loadNextBatch()) {
            FieldVector v = rows.getVectorSchemaRoot().getVector("area");
            for (int i = 0; i < v.getValueCount(); i++) {
              values.add(v.getObject(i));
            }
          }
          for (int slot = 0; slot < values.size(); slot++) {
            int id = meta.getId() * 6 + slot;
            boolean deleted = id == 0 || id == 4 || id == 11;
            assertEquals(
                deleted ? null : (long) LanceTestTables.x(id) * LanceTestTables.y(id),
                values.get(slot),
                "slot " + slot);
          }
        }
      }
    }
  }

  @Test
  void virtualColumnDefinitionSurvivesBackfillCommitsAndReopen() {
    String uri = LanceTestTables.create(dir, "t", 1, 5);
    UdfSpec spec = UdfInspector.inspect(Area.class, Map.of("k", "v"));
    VirtualColumns.add(uri, Map.of(), "area", spec);
    Backfill.of(uri, "area").run();
    assertEquals(Map.of("area", spec), VirtualColumns.list(uri, Map.of()));
  }

  @Test
  void newColumnReadsNullUntilBackfilled() {
    String uri = LanceTestTables.create(dir, "t", 1, 4);
    VirtualColumns.add(uri, Map.of(), "area", UdfInspector.inspect(Area.class, Map.of()));
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      assertNull(row.get("area"));
    }
  }

  @Test
  void addingAColumnThatExistsOrLacksAnInputFailsAndChangesNothing() {
    String uri = LanceTestTables.create(dir, "t", 1, 4);
    long before = LanceTestReads.version(uri);
    UdfSpec spec = UdfInspector.inspect(Area.class, Map.of());
    BackfillException exists =
        assertThrows(BackfillException.class, () -> VirtualColumns.add(uri, Map.of(), "x", spec));
    assertTrue(exists.getMessage().contains("column 'x' already exists"), exists.getMessage());
    UdfSpec needsZ = spec.withInputs(List.of("x", "z"));
    UdfException missing =
        assertThrows(UdfException.class, () -> VirtualColumns.add(uri, Map.of(), "area", needsZ));
    assertTrue(missing.getMessage().contains("input column 'z'"), missing.getMessage());
    assertEquals(before, LanceTestReads.version(uri));
  }

  @Test
  void backfillOfUnknownOrPlainColumnSaysWhich() {
    String uri = LanceTestTables.create(dir, "t", 1, 4);
    BackfillException unknown =
        assertThrows(BackfillException.class, () -> Backfill.of(uri, "nope").run());
    assertTrue(unknown.getMessage().contains("column 'nope' does not exist"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("[id, x, y, name]"), unknown.getMessage());
    BackfillException plain =
        assertThrows(BackfillException.class, () -> Backfill.of(uri, "x").run());
    assertTrue(plain.getMessage().contains("is not a virtual column"), plain.getMessage());
  }

  @Test
  void udfThatThrowsNamesColumnRowAndInputsAndLeavesTheTableUnchanged() throws IOException {
    String uri = LanceTestTables.create(dir, "t", 2, 5);
    VirtualColumns.add(
        uri, Map.of(), "checked", UdfInspector.inspect(FailsOnSeven.class, Map.of()));
    long before = LanceTestReads.version(uri);
    Set<Path> filesBefore = dataFiles(uri);

    BackfillException e =
        assertThrows(BackfillException.class, () -> Backfill.of(uri, "checked").run());

    // id 7 is row 2 of fragment 1 (fragments of 5 rows): row address (1 << 32) + 2.
    assertTrue(e.getMessage().contains("column 'checked'"), e.getMessage());
    assertTrue(e.getMessage().contains("id 7 is not allowed"), e.getMessage());
    assertTrue(e.getMessage().contains("(id=7)"), e.getMessage());
    assertTrue(
        e.getMessage().contains("row address " + ((1L << 32) + 2) + " (fragment 1, row 2)"),
        e.getMessage());
    assertEquals(before, LanceTestReads.version(uri));
    Set<Path> kept = new java.util.HashSet<>(dataFiles(uri));
    kept.removeAll(filesBefore);
    assertEquals(
        1,
        kept.size(),
        "fragment 0's finished file is kept (uncommitted) for the next run: " + kept);
    assertThrows(BackfillException.class, () -> Backfill.of(uri, "checked").run());
    assertEquals(
        filesBefore.size() + 1,
        dataFiles(uri).size(),
        "the rerun reused it rather than writing another");

    String other = LanceTestTables.create(dir, "u", 2, 5);
    VirtualColumns.add(
        other, Map.of(), "checked", UdfInspector.inspect(FailsOnSeven.class, Map.of()));
    Set<Path> otherBefore = dataFiles(other);
    assertThrows(
        BackfillException.class, () -> Backfill.of(other, "checked").checkpoints(false).run());
    assertEquals(
        otherBefore, dataFiles(other), "without checkpoints no column file is left behind");
  }

  @Test
  void backfillRunsAgainInALaterProcessFromTheStoredDefinition() {
    String uri = LanceTestTables.create(dir, "t", 2, 3);
    VirtualColumns.add(uri, Map.of(), "area", UdfInspector.inspect(Area.class, Map.of()));
    Backfill.of(uri, "area").run();
    LanceTestTables.append(uri, 6, 1, 3);
    BackfillResult second = Backfill.of(uri, "area").run();
    assertEquals(3, second.rowsComputed(), "only the appended fragment");
    assertEquals(6, second.rowsSkipped());
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      int id = (Integer) row.get("id");
      assertEquals((long) LanceTestTables.x(id) * LanceTestTables.y(id), row.get("area"));
    }
  }

  private static Set<Path> dataFiles(String uri) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(uri, "data"))) {
      return files.collect(Collectors.toSet());
    }
  }
}
