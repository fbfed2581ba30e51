package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.LanceWrites;
import dev.lancet.testing.udfs.Embedding768;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfRegistration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.BaseListVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * Embedding-width columns (768 floats a row) in a 1M-row fragment (a 3 GB column), written in
 * several parts (a checkpoint every 300 ms) and merged, then recomputed under a filter after
 * deletions, which streams the column's current file back in slot order. Lance 4.0's file reader
 * fails on such a read of a variable-length list taken in several batches (from about 20K rows on):
 * every read-back goes one range at a time. The Arrow memory a backfill holds is bounded by its
 * batches, never by the fragment. A slow suite: {@code bin/test} runs it last; {@code
 * -Dlancet.test.large-list-rows} sizes it.
 */
@Tag("slow")
class LargeListBackfillTest {
  private static final int ROWS = Integer.getInteger("lancet.test.large-list-rows", 1_000_000);

  /** Arrow memory a backfill of this table may hold at most: a few batches of 8192 x 3 KB. */
  private static final long MEMORY_BOUND = 512L << 20;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"array<float>", "float[768]"})
  void anEmbeddingColumnWrittenInPartsAndRecomputedUnderAFilterReadsBackWhole(String type) {
    String uri = LanceTestTables.create(dir, "t", 1, ROWS);
    VirtualColumns.add(
        uri,
        Map.of(),
        "vec",
        UdfInspector.inspect(
            Embedding768.class, UdfRegistration.of(List.of("id"), type, Map.of())));

    BackfillResult first =
        Backfill.of(uri, "vec").concurrency(1).checkpointInterval(Duration.ofMillis(300)).run();
    assertEquals(ROWS, first.rowsComputed());
    assertVectors(uri, id -> 0, id -> true);

    LanceWrites.delete(uri, "id % 1000 = 7");
    VirtualColumns.replace(
        uri,
        Map.of(),
        "vec",
        UdfInspector.inspect(
            Embedding768.class, UdfRegistration.of(List.of("id"), type, Map.of("offset", "1"))));
    BackfillResult even =
        Backfill.of(uri, "vec")
            .where("id % 2 = 0")
            .concurrency(1)
            .checkpointInterval(Duration.ofMillis(300))
            .run();

    long evenLive =
        java.util.stream.IntStream.range(0, ROWS)
            .filter(id -> id % 2 == 0 && id % 1000 != 7)
            .count();
    assertEquals(evenLive, even.rowsComputed());
    // odd rows keep their value, read back from the file; deleted rows are gone, the rest aligned
    assertVectors(uri, id -> id % 2 == 0 ? 1 : 0, id -> id % 1000 != 7);
    long peak = dev.lancet.lance.Allocators.root().getPeakMemoryAllocation();
    assertTrue(
        peak < MEMORY_BOUND,
        "Arrow memory peaked at "
            + (peak >> 20)
            + " MiB for a column of "
            + ((long) ROWS * 768 * 4 >> 20)
            + " MiB");
  }

  private static void assertVectors(
      String uri,
      java.util.function.IntUnaryOperator offset,
      java.util.function.IntPredicate live) {
    long seen = 0;
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a);
        LanceScanner scanner =
            ds.newScan(
                new ScanOptions.Builder().columns(List.of("id", "vec")).batchSize(8192).build());
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        IntVector ids = (IntVector) root.getVector("id");
        FieldVector vec = root.getVector("vec");
        Float4Vector values = (Float4Vector) ((BaseListVector) vec).getChildrenFromFields().get(0);
        for (int i = 0; i < root.getRowCount(); i++) {
          int id = ids.get(i);
          assertTrue(live.test(id), "deleted row " + id + " is back");
          int startIndex =
              vec instanceof ListVector l
                  ? l.getElementStartIndex(i)
                  : ((FixedSizeListVector) vec).getElementStartIndex(i);
          int end =
              vec instanceof ListVector l
                  ? l.getElementEndIndex(i)
                  : ((FixedSizeListVector) vec).getElementEndIndex(i);
          assertEquals(768, end - startIndex, "length of row " + id);
          float base = id + offset.applyAsInt(id);
          assertEquals(base, values.get(startIndex), "first value of row " + id);
          assertEquals(base + 767, values.get(end - 1), "last value of row " + id);
          seen++;
        }
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertEquals(java.util.stream.IntStream.range(0, ROWS).filter(live).count(), seen);
  }
}
