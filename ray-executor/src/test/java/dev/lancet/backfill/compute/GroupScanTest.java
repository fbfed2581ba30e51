package dev.lancet.backfill.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lancet.testing.LanceTestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lance.Dataset;

class GroupScanTest {
  @TempDir Path dir;

  private static List<Integer> ids(GroupScan scan, int fragment) throws Exception {
    List<Integer> ids = new ArrayList<>();
    for (VectorSchemaRoot b = scan.next(fragment); b != null; b = scan.next(fragment)) {
      IntVector v = (IntVector) b.getVector("id");
      for (int i = 0; i < b.getRowCount(); i++) {
        ids.add(v.get(i));
      }
    }
    return ids;
  }

  /** Batches of 2 rows (a fragment in several) and of 8,192 (larger than every fragment). */
  @ParameterizedTest
  @ValueSource(ints = {2, 8192})
  void oneScanHandsOutEachFragmentsRowsAndSkipsFragmentsNotAskedFor(int batchSize)
      throws Exception {
    String uri = LanceTestTables.create(dir, "t", 4, 5); // ids 0..19, fragments 0..3
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a);
        GroupScan scan = new GroupScan(ds, List.of(0, 1, 2, 3), List.of("id"), null, batchSize)) {
      assertEquals(List.of(0, 1, 2, 3, 4), ids(scan, 0));
      // fragment 1 is not asked for (its result was found finished): its rows are passed over
      assertEquals(List.of(10, 11, 12, 13, 14), ids(scan, 2));
      assertEquals(List.of(15, 16, 17, 18, 19), ids(scan, 3));
      assertNull(scan.next(3));
    }
  }

  @Test
  void narrowInputsAreReadInLargerBatchesButHandedOutInTheUdfsBatchSize() throws Exception {
    String uri = LanceTestTables.create(dir, "t", 2, 10);
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a);
        GroupScan scan = new GroupScan(ds, List.of(0, 1), List.of("id"), null, 3)) {
      List<Integer> sizes = new ArrayList<>();
      List<Integer> ids = new ArrayList<>();
      for (int fragment : List.of(0, 1)) {
        for (VectorSchemaRoot b = scan.next(fragment); b != null; b = scan.next(fragment)) {
          sizes.add(b.getRowCount());
          for (int i = 0; i < b.getRowCount(); i++) {
            ids.add(((IntVector) b.getVector("id")).get(i));
          }
        }
      }
      assertEquals(List.of(3, 3, 3, 1, 3, 3, 3, 1), sizes);
      assertEquals(java.util.stream.IntStream.range(0, 20).boxed().toList(), ids);
    }
    java.util.List<org.apache.arrow.vector.types.pojo.Field> ints =
        List.of(
            org.apache.arrow.vector.types.pojo.Field.nullable(
                "x", new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, true)));
    assertEquals(WindowSize.SCAN_ROWS, WindowSize.scanRows(ints, 8192));
    java.util.List<org.apache.arrow.vector.types.pojo.Field> text =
        List.of(
            org.apache.arrow.vector.types.pojo.Field.nullable(
                "t", org.apache.arrow.vector.types.pojo.ArrowType.Utf8.INSTANCE));
    assertEquals(8192, WindowSize.scanRows(text, 8192), "a variable width keeps the UDF's batch");
    assertEquals(8192, WindowSize.scanRows(null, 8192));
  }

  @Test
  void aFilterThatEmptiesAFragmentGivesItNoRows() throws Exception {
    String uri = LanceTestTables.create(dir, "t", 3, 5);
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a);
        GroupScan scan =
            new GroupScan(ds, List.of(0, 1, 2), List.of("id"), "id < 3 OR id >= 12", 8192)) {
      assertEquals(List.of(0, 1, 2), ids(scan, 0));
      assertEquals(List.of(), ids(scan, 1));
      assertEquals(List.of(12, 13, 14), ids(scan, 2));
    }
  }
}
