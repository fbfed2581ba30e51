package dev.lancet.benchmarks.backfill;

import dev.lancet.benchmarks.HeavyHash;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.lance.Dataset;
import org.lance.FragmentMetadata;
import org.lance.file.LanceFileWriter;
import org.lance.fragment.DataFile;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;
import org.lance.operation.DataReplacement;
import org.lance.schema.LanceField;

/**
 * The lower bound: the least work that adds a computed column to a Lance table. Per fragment,
 * on a fixed pool of threads (one per core): scan the input columns, compute in a hand-written
 * loop, write one column file; then one DataReplacement commit. No UDF bridge, no Ray, no
 * checkpoints, no job records. It relies on what only a benchmark knows (no deleted rows, so
 * scan order is physical order) and skips fragments that already have the column, which is
 * the whole of the incremental case.
 */
final class LowerBoundLoop implements Contender {
  private static final int BATCH = 8192;
  private final int threads;

  LowerBoundLoop(int threads) {
    this.threads = threads;
  }

  @Override
  public boolean supports(Workload workload) {
    return true;
  }

  static Field outputField(Workload w) {
    if (w.embedding()) {
      Field item = new Field("item", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
      return new Field(w.column(), FieldType.nullable(new ArrowType.FixedSizeList(HeavyHash.DIM)), List.of(item));
    }
    return Field.nullable(w.column(), new ArrowType.Int(64, true));
  }

  @Override
  public void prepare(Workload w, String uri) {
    try (BufferAllocator allocator = new RootAllocator(); Dataset ds = Dataset.open(uri, allocator)) {
      if (ds.getSchema().getFields().stream().noneMatch(f -> f.getName().equals(w.column()))) {
        ds.addColumns(List.of(outputField(w))); // schema only, as ALTER TABLE ADD COLUMN
      }
    }
  }

  @Override
  public String run(Workload w, String uri, Path scratch) throws Exception {
    try (BufferAllocator root = new RootAllocator(); Dataset ds = Dataset.open(uri, root)) {
      LanceField field = ds.getLanceSchema().fields().stream().filter(f -> f.getName().equals(w.column())).findFirst()
          .orElseThrow();
      String[] version = ds.getLanceFileFormatVersion().split("\\.");
      int major = Integer.parseInt(version[0]);
      int minor = Integer.parseInt(version[1]);
      int[] fieldIds = fieldIds(field, major == 2 && minor == 0);
      int[] columns = new int[fieldIds.length];
      Arrays.setAll(columns, i -> i);
      List<FragmentMetadata> todo = ds.getFragments().stream().map(f -> f.metadata())
          .filter(m -> m.getFiles().stream().noneMatch(f -> Arrays.stream(f.getFields()).anyMatch(id -> id == field.getId())))
          .toList();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<DataReplacement.DataReplacementGroup>> futures = new ArrayList<>();
      try {
        for (FragmentMetadata meta : todo) {
          futures.add(pool.submit(() -> {
            String name = UUID.randomUUID() + ".lance";
            String file = uri + "/data/" + name;
            try (BufferAllocator allocator = root.newChildAllocator("fragment-" + meta.getId(), 0, Long.MAX_VALUE);
                 Dataset mine = Dataset.open(uri, allocator)) {
              compute(w, mine, meta, file, ds.getLanceFileFormatVersion(), allocator);
            }
            long size = java.nio.file.Files.size(Path.of(file));
            return new DataReplacement.DataReplacementGroup(meta.getId(),
                new DataFile(name, fieldIds, columns, major, minor, size, null));
          }));
        }
        List<DataReplacement.DataReplacementGroup> groups = new ArrayList<>();
        for (Future<DataReplacement.DataReplacementGroup> f : futures) {
          groups.add(f.get());
        }
        if (!groups.isEmpty()) {
          ds.newTransactionBuilder().readVersion(ds.version())
              .operation(DataReplacement.builder().replacements(groups).build()).build().commit().close();
        }
      } finally {
        pool.shutdownNow();
      }
    }
    return uri;
  }

  /** The file's columns: the field and, in format 2.0, its children too (pre-order). */
  private static int[] fieldIds(LanceField field, boolean parentsHaveColumns) {
    if (field.getChildren().isEmpty()) {
      return new int[] {field.getId()};
    }
    return parentsHaveColumns ? new int[] {field.getId(), field.getChildren().get(0).getId()} : new int[] {field.getId()};
  }

  private static void compute(Workload w, Dataset ds, FragmentMetadata meta, String file, String format,
      BufferAllocator allocator) throws Exception {
    int rows = (int) meta.getPhysicalRows();
    ScanOptions options = new ScanOptions.Builder().fragmentIds(List.of(meta.getId())).columns(w.inputs()).batchSize(BATCH)
        .build();
    try (FieldVector out = outputField(w).createVector(allocator)) {
      if (out instanceof FixedSizeListVector list) {
        list.setInitialCapacity(rows);
        list.allocateNew();
      } else {
        ((BigIntVector) out).allocateNew(rows);
      }
      int pos = 0;
      try (LanceScanner scanner = ds.newScan(options); ArrowReader reader = scanner.scanBatches()) {
        while (reader.loadNextBatch()) {
          VectorSchemaRoot batch = reader.getVectorSchemaRoot();
          int n = batch.getRowCount();
          if (out instanceof BigIntVector area) {
            IntVector x = (IntVector) batch.getVector("x");
            IntVector y = (IntVector) batch.getVector("y");
            for (int i = 0; i < n; i++) {
              area.set(pos + i, (long) x.get(i) * y.get(i));
            }
          } else {
            embed((VarCharVector) batch.getVector("text"), (FixedSizeListVector) out, pos, n);
          }
          pos += n;
        }
      }
      if (pos != rows) {
        throw new IllegalStateException("fragment " + meta.getId() + ": scanned " + pos + " rows of " + rows
            + " (the lower bound assumes no deleted rows)");
      }
      out.setValueCount(rows);
      try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(out.getField()), List.of(out), rows);
           LanceFileWriter writer = LanceFileWriter.open(file, allocator, null, Optional.of(format), Map.of())) {
        writer.write(root);
      }
    }
  }

  private static void embed(VarCharVector text, FixedSizeListVector out, int pos, int n) {
    Float4Vector data = (Float4Vector) out.getDataVector();
    HeavyHash.Scratch scratch = new HeavyHash.Scratch();
    for (int i = 0; i < n; i++) {
      HeavyHash.embedRow(text, i, data, pos + i, scratch);
      out.setNotNull(pos + i);
    }
  }
}
