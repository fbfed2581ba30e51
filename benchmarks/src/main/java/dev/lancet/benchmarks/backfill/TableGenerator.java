package dev.lancet.benchmarks.backfill;

import dev.lancet.benchmarks.BenchUdfs;
import dev.lancet.benchmarks.HeavyHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.FragmentOperation;
import org.lance.WriteParams;

/**
 * Writes the benchmark tables with Lance, fragment by fragment, and knows the checksum every
 * contender's result must have. Values are functions of the row id, so any contender's output can
 * be checked without keeping a copy.
 */
public final class TableGenerator {
  /** Rows per fragment at most (Lance's own default file size). */
  static final int MAX_ROWS_PER_FRAGMENT = 1_000_000;

  /** Rows written per Arrow batch while generating. */
  private static final int WRITE_CHUNK = 65_536;

  private TableGenerator() {}

  static int x(long id) {
    return (int) (id % 46_337 + 1);
  }

  static int y(long id) {
    return (int) (id * 31 % 46_337 + 1);
  }

  /**
   * x of the vectors tables: 0 to 9, so {@code x < 5} selects half the rows, spread over the
   * fragment.
   */
  static int vectorX(long id) {
    return (int) (id % 10);
  }

  /** The file name of row {@code id} of the files table. */
  static String filename(long id) {
    return "clip-" + id + ".mp4";
  }

  /** The 32 characters of the heavy table's text for a row. */
  static byte[] text(long id) {
    String hex =
        String.format("%016x%016x", id * 0x9E3779B97F4A7C15L, (id + 17) * 0xC2B2AE3D27D4EB4FL);
    return hex.getBytes(StandardCharsets.US_ASCII);
  }

  /** The columns of a generated table of this shape. */
  public static Schema schema(Workload.Shape shape) {
    List<Field> fields =
        new ArrayList<>(List.of(Field.nullable("id", new ArrowType.Int(64, true))));
    switch (shape) {
      case HEAVY, HEAVY_ONE_FRAGMENT -> fields.add(Field.nullable("text", ArrowType.Utf8.INSTANCE));
      case VECTORS, VECTORS_ONE_FRAGMENT ->
          fields.add(Field.nullable("x", new ArrowType.Int(32, true)));
      case FILES -> fields.add(Field.nullable("filename", ArrowType.Utf8.INSTANCE));
      default -> {
        fields.add(Field.nullable("x", new ArrowType.Int(32, true)));
        fields.add(Field.nullable("y", new ArrowType.Int(32, true)));
        if (shape == Workload.Shape.WIDE) {
          fields.add(Field.nullable("payload", ArrowType.Binary.INSTANCE));
        }
      }
    }
    return new Schema(fields);
  }

  /** Rows per fragment of a table of {@code shape} and {@code rows} rows. */
  static int rowsPerFragment(Workload.Shape shape, long rows) {
    long per =
        switch (shape) {
          case VECTORS, TWO_FRAGMENTS -> (rows + 1) / 2;
          case VECTORS_ONE_FRAGMENT, HEAVY_ONE_FRAGMENT -> rows;
          case MANY_FRAGMENTS -> (rows + manyFragments(rows) - 1) / manyFragments(rows);
          default ->
              Math.min(
                  MAX_ROWS_PER_FRAGMENT,
                  (rows + 7) / 8); // at least 8 fragments: both workers have work
        };
    return (int) Math.max(1, per);
  }

  /**
   * Fragments of the many-fragments table: 100 rows each, as the 200K rows in {@value
   * Workload#MANY} fragments at scale 1 (400 at the default scale), at most that many.
   */
  static long manyFragments(long rows) {
    return Math.max(1, Math.min(Workload.MANY, rows / 100));
  }

  /** Creates the table of {@code shape} with ids 0 until {@code rows}. */
  public static void create(String uri, Workload.Shape shape, long rows) {
    try (BufferAllocator allocator = new RootAllocator()) {
      Dataset.create(allocator, uri, schema(shape), new WriteParams.Builder().build()).close();
    }
    append(uri, shape, 0, rows, rowsPerFragment(shape, rows));
  }

  /**
   * Appends rows with ids {@code first} until {@code end}, as fragments of {@code perFragment}
   * rows, in one commit.
   */
  public static void append(
      String uri, Workload.Shape shape, long first, long end, int perFragment) {
    Schema schema = schema(shape);
    try (BufferAllocator allocator = new RootAllocator()) {
      long readVersion;
      try (Dataset ds = Dataset.open(uri, allocator)) {
        readVersion = ds.version();
      }
      List<FragmentMetadata> metas = new ArrayList<>();
      WriteParams params = new WriteParams.Builder().withMaxRowsPerFile(perFragment).build();
      for (long start = first; start < end; start += perFragment) {
        long stop = Math.min(end, start + perFragment);
        try (org.apache.arrow.c.ArrowArrayStream stream = stream(allocator, schema, start, stop)) {
          metas.addAll(Fragment.create(uri, stream, params));
        }
      }
      new FragmentOperation.Append(metas)
          .commit(allocator, uri, Optional.of(readVersion), Map.of())
          .close();
    }
  }

  /** Fills one chunk of rows {@code [start, start + n)} into {@code root}. */
  static void fill(VectorSchemaRoot root, long start, int n) {
    root.getFieldVectors().forEach(v -> v.setInitialCapacity(n));
    root.allocateNew();
    BigIntVector ids = (BigIntVector) root.getVector("id");
    for (int i = 0; i < n; i++) {
      ids.set(i, start + i);
    }
    if (root.getVector("text") != null) {
      VarCharVector text = (VarCharVector) root.getVector("text");
      for (int i = 0; i < n; i++) {
        text.setSafe(i, text(start + i));
      }
    } else if (root.getVector("filename") != null) {
      VarCharVector names = (VarCharVector) root.getVector("filename");
      for (int i = 0; i < n; i++) {
        names.setSafe(i, filename(start + i).getBytes(StandardCharsets.UTF_8));
      }
    } else if (root.getVector("y") == null) {
      IntVector xs = (IntVector) root.getVector("x");
      for (int i = 0; i < n; i++) {
        xs.set(i, vectorX(start + i));
      }
    } else {
      IntVector xs = (IntVector) root.getVector("x");
      IntVector ys = (IntVector) root.getVector("y");
      for (int i = 0; i < n; i++) {
        xs.set(i, x(start + i));
        ys.set(i, y(start + i));
      }
      if (root.getVector("payload") != null) {
        VarBinaryVector payload = (VarBinaryVector) root.getVector("payload");
        byte[] bytes = new byte[Workload.PAYLOAD_BYTES];
        for (int i = 0; i < n; i++) {
          long id = start + i;
          for (int j = 0; j < bytes.length; j++) {
            bytes[j] = (byte) (id * 131 + j);
          }
          payload.setSafe(i, bytes);
        }
      }
    }
    root.setRowCount(n);
  }

  /** The checksum a correct result of {@code workload} over ids 0 until {@code rows} has. */
  public static Checksum expected(Workload workload, long rows) {
    switch (workload.output()) {
      case HASHED_TEXT -> {
        double sum = 0;
        float[] out = new float[HeavyHash.DIM];
        int[] scratch = new int[HeavyHash.DIM];
        for (long id = 0; id < rows; id++) {
          byte[] t = text(id);
          HeavyHash.embed(t, 0, t.length, out, 0, scratch);
          for (float f : out) {
            sum += f;
          }
        }
        return new Checksum(rows, 0, sum);
      }
      case VECTOR -> {
        double sum = 0;
        long n = 0;
        for (long id = 0; id < rows; id++) {
          if (workload.selects(id)) {
            n++;
            for (int j = 0; j < BenchUdfs.VECTOR_DIM; j++) {
              sum +=
                  BenchUdfs.component(id, j); // multiples of 2^-10: the sum is exact in any order
            }
          }
        }
        return new Checksum(n, 0, sum);
      }
      case SIZE -> {
        long sum = 0;
        for (long id = 0; id < rows; id++) {
          sum += BenchUdfs.downloadedSize(filename(id));
        }
        return new Checksum(rows, sum, 0);
      }
      default -> {
        long sum = 0;
        for (long id = 0; id < rows; id++) {
          sum += (long) x(id) * y(id);
        }
        return new Checksum(rows, sum, 0);
      }
    }
  }

  /**
   * Rows {@code [start, stop)} as an Arrow stream of chunks, so no fragment is held in memory
   * whole.
   */
  private static org.apache.arrow.c.ArrowArrayStream stream(
      BufferAllocator allocator, Schema schema, long start, long stop) {
    org.apache.arrow.c.ArrowArrayStream stream =
        org.apache.arrow.c.ArrowArrayStream.allocateNew(allocator);
    org.apache.arrow.c.Data.exportArrayStream(
        allocator, new Reader(allocator, schema, start, stop), stream);
    return stream;
  }

  private static final class Reader extends org.apache.arrow.vector.ipc.ArrowReader {
    private final Schema schema;
    private final long stop;
    private long next;

    Reader(BufferAllocator allocator, Schema schema, long start, long stop) {
      super(allocator);
      this.schema = schema;
      this.next = start;
      this.stop = stop;
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
      if (next >= stop) {
        return false;
      }
      int n = (int) Math.min(WRITE_CHUNK, stop - next);
      fill(getVectorSchemaRoot(), next, n);
      next += n;
      return true;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    protected void closeReadSource() {}

    @Override
    protected Schema readSchema() {
      return schema;
    }
  }
}
