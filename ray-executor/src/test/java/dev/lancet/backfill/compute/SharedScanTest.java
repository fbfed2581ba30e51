package dev.lancet.backfill.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lancet.testing.LanceTestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;

/**
 * One scan handed to several columns' threads, each asking for the fragments its column reads; the
 * allocator closing at the end finds any slice not released.
 */
class SharedScanTest {
  @TempDir Path dir;

  private static List<Integer> ids(RowSource source, int fragment) throws Exception {
    List<Integer> ids = new ArrayList<>();
    for (VectorSchemaRoot b = source.next(fragment); b != null; b = source.next(fragment)) {
      IntVector v = (IntVector) b.getVector("id");
      for (int i = 0; i < b.getRowCount(); i++) {
        ids.add(v.get(i));
      }
      Thread.sleep(1); // a column slower than the others: the scan waits for it
    }
    return ids;
  }

  @Test
  void eachViewGetsEveryRowOfItsFragmentsWhileOthersSkipOrLeaveEarly() throws Exception {
    String uri = LanceTestTables.create(dir, "t", 4, 5); // ids 0..19, fragments 0..3
    long opened = GroupScan.OPENED.get();
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a);
        SharedScan shared =
            new SharedScan(new GroupScan(ds, List.of(0, 1, 2, 3), List.of("id"), null, 2))) {
      SharedScan.View every = shared.view();
      SharedScan.View lastTwo = shared.view();
      SharedScan.View firstOnly = shared.view();
      Future<List<Integer>> all =
          threads.submit(
              () -> {
                try (every) {
                  List<Integer> ids = new ArrayList<>();
                  for (int f = 0; f < 4; f++) {
                    ids.addAll(ids(every, f));
                  }
                  assertNull(every.next(3));
                  return ids;
                }
              });
      Future<List<Integer>> skipping =
          threads.submit(
              () -> {
                try (lastTwo) {
                  List<Integer> ids = new ArrayList<>(ids(lastTwo, 2));
                  ids.addAll(ids(lastTwo, 3));
                  return ids;
                }
              });
      Future<List<Integer>> leaving =
          threads.submit(
              () -> {
                try (firstOnly) {
                  return ids(firstOnly, 0); // then its column is done: it closes its view
                }
              });
      List<Integer> expected = new ArrayList<>();
      for (int id = 0; id < 20; id++) {
        expected.add(id);
      }
      assertEquals(expected, all.get());
      assertEquals(expected.subList(10, 20), skipping.get());
      assertEquals(expected.subList(0, 5), leaving.get());
      assertEquals(1, GroupScan.OPENED.get() - opened, "one scan for the three");
    } finally {
      threads.shutdownNow();
    }
  }
}
