package dev.lancet.benchmarks.backfill;

import dev.lancet.benchmarks.BenchUdfs;
import dev.lancet.benchmarks.HeavyHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
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

// Longer than 300 lines: the lower bound is one hand-written loop per column type, kept in one
// place so its cost is read as one.
/**
 * The lower bound: the least work that adds a computed column to a Lance table. Per fragment, on a
 * fixed pool of threads (one per core): scan the inputs, compute each batch in a hand-written loop
 * and write it to the fragment's column file at once; then one DataReplacement commit. No UDF
 * bridge, no Ray, no checkpoints, no job records. It relies on what only a benchmark knows (no
 * deleted rows, so scan order is physical order) and skips fragments that already have the column,
 * which is the whole of the incremental case. Under a filter every row is still written (nulls
 * outside it), as a column file must hold every row. The I/O-bound column waits on {@value
 * #CALLS_PER_THREAD} threads per core, as Lancet's {@code max_in_flight = 64} does.
 */
final class LowerBoundLoop implements Contender {
  private static final int BATCH = 8192;
  static final int CALLS_PER_THREAD = 64;
  private final int threads;

  LowerBoundLoop(int threads) {
    this.threads = threads;
  }

  @Override
  public boolean supports(Workload workload) {
    return workload.kind() != Workload.Kind.NOTHING_TO_DO;
  }

  static Field outputField(Workload w) {
    Field item =
        new Field(
            "item",
            FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
            null);
    return switch (w.output()) {
      case HASHED_TEXT ->
          new Field(
              w.column(),
              FieldType.nullable(new ArrowType.FixedSizeList(HeavyHash.DIM)),
              List.of(item));
      case VECTOR ->
          new Field(
              w.column(),
              FieldType.nullable(new ArrowType.FixedSizeList(BenchUdfs.VECTOR_DIM)),
              List.of(item));
      default -> Field.nullable(w.column(), new ArrowType.Int(64, true));
    };
  }

  @Override
  public void prepare(Workload w, String uri) {
    try (BufferAllocator allocator = new RootAllocator();
        Dataset ds = Dataset.open(uri, allocator)) {
      if (ds.getSchema().getFields().stream().noneMatch(f -> f.getName().equals(w.column()))) {
        ds.addColumns(List.of(outputField(w))); // schema only, as ALTER TABLE ADD COLUMN
      }
    }
  }

  @Override
  public String run(Workload w, String uri, Path scratch) throws Exception {
    try (BufferAllocator root = new RootAllocator();
        Dataset ds = Dataset.open(uri, root)) {
      LanceField field =
          ds.getLanceSchema().fields().stream()
              .filter(f -> f.getName().equals(w.column()))
              .findFirst()
              .orElseThrow();
      String[] version = ds.getLanceFileFormatVersion().split("\\.");
      int major = Integer.parseInt(version[0]);
      int minor = Integer.parseInt(version[1]);
      int[] fieldIds = fieldIds(field, major == 2 && minor == 0);
      int[] columns = new int[fieldIds.length];
      Arrays.setAll(columns, i -> i);
      List<FragmentMetadata> todo =
          ds.getFragments().stream()
              .map(f -> f.metadata())
              .filter(
                  m ->
                      m.getFiles().stream()
                          .noneMatch(
                              f ->
                                  Arrays.stream(f.getFields()).anyMatch(id -> id == field.getId())))
              .toList();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      ExecutorService waits =
          w.output() == Workload.Output.SIZE
              ? Executors.newFixedThreadPool(threads * CALLS_PER_THREAD)
              : null;
      List<Future<DataReplacement.DataReplacementGroup>> futures = new ArrayList<>();
      // One dataset per thread, as opening one costs about a millisecond: per fragment it would be
      // most of a small fragment's cost.
      java.util.Queue<AutoCloseable> opened = new java.util.concurrent.ConcurrentLinkedQueue<>();
      ThreadLocal<Dataset> perThread =
          ThreadLocal.withInitial(
              () -> {
                BufferAllocator a = root.newChildAllocator("thread", 0, Long.MAX_VALUE);
                Dataset d = Dataset.open(uri, a);
                opened.add(a);
                opened.add(d);
                return d;
              });
      try {
        for (FragmentMetadata meta : todo) {
          futures.add(
              pool.submit(
                  () -> {
                    String name = UUID.randomUUID() + ".lance";
                    String file = uri + "/data/" + name;
                    try (BufferAllocator allocator =
                        root.newChildAllocator("fragment-" + meta.getId(), 0, Long.MAX_VALUE)) {
                      compute(
                          w,
                          perThread.get(),
                          meta,
                          file,
                          ds.getLanceFileFormatVersion(),
                          allocator,
                          waits);
                    }
                    long size = java.nio.file.Files.size(Path.of(file));
                    return new DataReplacement.DataReplacementGroup(
                        meta.getId(),
                        new DataFile(name, fieldIds, columns, major, minor, size, null));
                  }));
        }
        List<DataReplacement.DataReplacementGroup> groups = new ArrayList<>();
        for (Future<DataReplacement.DataReplacementGroup> f : futures) {
          groups.add(f.get());
        }
        if (!groups.isEmpty()) {
          ds.newTransactionBuilder()
              .readVersion(ds.version())
              .operation(DataReplacement.builder().replacements(groups).build())
              .build()
              .commit()
              .close();
        }
      } finally {
        pool.shutdownNow();
        if (waits != null) {
          waits.shutdownNow();
        }
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        java.util.List<AutoCloseable> closing = new ArrayList<>(opened);
        java.util.Collections.reverse(closing); // each dataset before its allocator
        for (AutoCloseable c : closing) {
          c.close();
        }
      }
    }
    return uri;
  }

  /** The file's columns: the field and, in format 2.0, its children too (pre-order). */
  private static int[] fieldIds(LanceField field, boolean parentsHaveColumns) {
    if (field.getChildren().isEmpty()) {
      return new int[] {field.getId()};
    }
    return parentsHaveColumns
        ? new int[] {field.getId(), field.getChildren().get(0).getId()}
        : new int[] {field.getId()};
  }

  private static void compute(
      Workload w,
      Dataset ds,
      FragmentMetadata meta,
      String file,
      String format,
      BufferAllocator allocator,
      ExecutorService waits)
      throws Exception {
    List<String> read = new ArrayList<>(w.inputs());
    if (w.filter() != null) {
      read.add("x");
    }
    ScanOptions options =
        new ScanOptions.Builder()
            .fragmentIds(List.of(meta.getId()))
            .columns(read)
            .batchSize(BATCH)
            .build();
    Field field = outputField(w);
    long rows = 0;
    try (LanceScanner scanner = ds.newScan(options);
        ArrowReader reader = scanner.scanBatches();
        LanceFileWriter writer =
            LanceFileWriter.open(file, allocator, null, Optional.of(format), Map.of())) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot batch = reader.getVectorSchemaRoot();
        int n = batch.getRowCount();
        try (FieldVector out = field.createVector(allocator)) {
          out.setInitialCapacity(n);
          out.allocateNew();
          switch (w.output()) {
            case AREA ->
                area(
                    (IntVector) batch.getVector("x"),
                    (IntVector) batch.getVector("y"),
                    (BigIntVector) out,
                    n);
            case HASHED_TEXT ->
                embed((VarCharVector) batch.getVector("text"), (FixedSizeListVector) out, n);
            case VECTOR ->
                vectors(
                    (BigIntVector) batch.getVector("id"),
                    w.filter() == null ? null : (IntVector) batch.getVector("x"),
                    (FixedSizeListVector) out,
                    n);
            case SIZE ->
                sizes((VarCharVector) batch.getVector("filename"), (BigIntVector) out, n, waits);
            default -> throw new IllegalStateException(w.output().toString());
          }
          out.setValueCount(n);
          try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(field), List.of(out), n)) {
            writer.write(root);
          }
        }
        rows += n;
      }
    }
    if (rows != meta.getPhysicalRows()) {
      throw new IllegalStateException(
          "fragment "
              + meta.getId()
              + ": scanned "
              + rows
              + " rows of "
              + meta.getPhysicalRows()
              + " (the lower bound assumes no deleted rows)");
    }
  }

  /**
   * By address, as Lancet's generated kernel reads and writes (the benchmark's rows have no nulls):
   * Arrow's checked {@code get} and {@code set} would be most of this loop's time.
   */
  private static void area(IntVector x, IntVector y, BigIntVector out, int n) {
    if (x.getDataBuffer().capacity() < 4L * n
        || y.getDataBuffer().capacity() < 4L * n
        || out.getDataBuffer().capacity() < 8L * n) {
      throw new IllegalStateException("a batch of " + n + " rows with smaller buffers");
    }
    long xs = x.getDataBuffer().memoryAddress();
    long ys = y.getDataBuffer().memoryAddress();
    long os = out.getDataBuffer().memoryAddress();
    for (int i = 0; i < n; i++) {
      MemoryUtil.putLong(
          os + 8L * i, (long) MemoryUtil.getInt(xs + 4L * i) * MemoryUtil.getInt(ys + 4L * i));
    }
    out.getValidityBuffer().setOne(0, (n + 7) / 8);
  }

  private static void embed(VarCharVector text, FixedSizeListVector out, int n) {
    Float4Vector data = (Float4Vector) out.getDataVector();
    HeavyHash.Scratch scratch = new HeavyHash.Scratch();
    for (int i = 0; i < n; i++) {
      HeavyHash.embedRow(text, i, data, i, scratch);
      out.setNotNull(i);
    }
  }

  private static void vectors(BigIntVector ids, IntVector x, FixedSizeListVector out, int n) {
    Float4Vector data = (Float4Vector) out.getDataVector();
    int dim = BenchUdfs.VECTOR_DIM;
    for (int i = 0; i < n; i++) {
      if (x != null && x.get(i) >= 5) {
        out.setNull(i);
        continue;
      }
      long id = ids.get(i);
      for (int j = 0; j < dim; j++) {
        data.set(i * dim + j, BenchUdfs.component(id, j));
      }
      out.setNotNull(i);
    }
    data.setValueCount(n * dim);
  }

  /**
   * Each value after its 20 ms wait, {@value #CALLS_PER_THREAD} waits at once for this fragment's
   * thread.
   */
  private static void sizes(VarCharVector names, BigIntVector out, int n, ExecutorService waits)
      throws Exception {
    List<Callable<Long>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = new String(names.get(i), StandardCharsets.UTF_8);
      calls.add(
          () -> {
            Thread.sleep(20);
            return BenchUdfs.downloadedSize(name);
          });
    }
    List<Future<Long>> done = new ArrayList<>();
    for (int start = 0; start < n; start += CALLS_PER_THREAD) {
      done.addAll(waits.invokeAll(calls.subList(start, Math.min(n, start + CALLS_PER_THREAD))));
    }
    for (int i = 0; i < n; i++) {
      out.set(i, done.get(i).get());
    }
  }
}
