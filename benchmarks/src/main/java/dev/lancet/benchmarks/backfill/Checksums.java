package dev.lancet.benchmarks.backfill;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.complex.BaseListVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/** Reads a result column back and adds it up, to check a contender computed what it should. */
final class Checksums {
  private Checksums() {}

  static Checksum of(String uri, String column) throws Exception {
    long rows = 0;
    long longSum = 0;
    double floatSum = 0;
    try (BufferAllocator allocator = new RootAllocator();
        Dataset ds = Dataset.open(uri, allocator);
        LanceScanner scanner =
            ds.newScan(
                new ScanOptions.Builder().columns(List.of(column)).batchSize(65_536).build());
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        FieldVector v = reader.getVectorSchemaRoot().getVector(column);
        int n = v.getValueCount();
        if (v instanceof BigIntVector b) {
          for (int i = 0; i < n; i++) {
            if (!b.isNull(i)) {
              rows++;
              longSum += b.get(i);
            }
          }
        } else if (v instanceof BaseListVector list) {
          Float4Vector data =
              (Float4Vector)
                  (v instanceof FixedSizeListVector f
                      ? f.getDataVector()
                      : ((ListVector) v).getDataVector());
          for (int i = 0; i < n; i++) {
            if (v.isNull(i)) {
              continue;
            }
            rows++;
            for (int j = list.getElementStartIndex(i); j < list.getElementEndIndex(i); j++) {
              floatSum += data.get(j);
            }
          }
        } else {
          throw new IllegalStateException(
              "column " + column + " of " + uri + " is " + v.getField().getType());
        }
      }
    }
    return new Checksum(rows, longSum, floatSum);
  }
}
