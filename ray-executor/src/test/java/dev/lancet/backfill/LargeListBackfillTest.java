package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.LanceTestTables;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * Embedding-width columns (768 floats a row) in a 200K-row fragment, written in several parts
 * (a checkpoint every 300 ms) and merged, then recomputed under a filter, which reads the column's
 * current file back. Lance 4.0's file reader fails on such a read of a variable-length list taken
 * in several batches (from about 20K rows on): every read-back goes one range at a time.
 */
class LargeListBackfillTest {
  private static final int ROWS = 200_000;
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"array<float>", "float[768]"})
  void anEmbeddingColumnWrittenInPartsAndRecomputedUnderAFilterReadsBackWhole(String type) {
    String uri = LanceTestTables.create(dir, "t", 1, ROWS);
    VirtualColumns.add(uri, Map.of(), "vec", UdfInspector.inspect(Embedding768.class,
        UdfRegistration.of(List.of("id"), type, Map.of())));

    BackfillResult first = Backfill.of(uri, "vec").concurrency(1).checkpointInterval(Duration.ofMillis(300)).run();
    assertEquals(ROWS, first.rowsComputed());
    assertVectors(uri, id -> 0);

    VirtualColumns.replace(uri, Map.of(), "vec", UdfInspector.inspect(Embedding768.class,
        UdfRegistration.of(List.of("id"), type, Map.of("offset", "1"))));
    BackfillResult even = Backfill.of(uri, "vec").where("id % 2 = 0").concurrency(1)
        .checkpointInterval(Duration.ofMillis(300)).run();

    assertEquals(ROWS / 2, even.rowsComputed());
    assertVectors(uri, id -> id % 2 == 0 ? 1 : 0); // odd rows keep their value, read back from the file
  }

  private static void assertVectors(String uri, java.util.function.IntUnaryOperator offset) {
    long seen = 0;
    try (BufferAllocator a = new RootAllocator(); Dataset ds = Dataset.open(uri, a);
         LanceScanner scanner = ds.newScan(new ScanOptions.Builder().columns(List.of("id", "vec")).batchSize(8192).build());
         ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        IntVector ids = (IntVector) root.getVector("id");
        FieldVector vec = root.getVector("vec");
        Float4Vector values = (Float4Vector) ((BaseListVector) vec).getChildrenFromFields().get(0);
        for (int i = 0; i < root.getRowCount(); i++) {
          int id = ids.get(i);
          int startIndex = vec instanceof ListVector l ? l.getElementStartIndex(i) : ((FixedSizeListVector) vec).getElementStartIndex(i);
          int end = vec instanceof ListVector l ? l.getElementEndIndex(i) : ((FixedSizeListVector) vec).getElementEndIndex(i);
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
    assertEquals(ROWS, seen);
    assertTrue(seen > 0);
  }
}
