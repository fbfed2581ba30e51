package dev.lancet.benchmarks.backfill;

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
 * contender's result must have. Values are functions of the row id, so any contender's output
 * can be checked without keeping a copy.
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

  /** The 32 characters of the heavy table's text for a row. */
  static byte[] text(long id) {
    String hex = String.format("%016x%016x", id * 0x9E3779B97F4A7C15L, (id + 17) * 0xC2B2AE3D27D4EB4FL);
    return hex.getBytes(StandardCharsets.US_ASCII);
  }

  static Schema schema(String shape) {
    List<Field> fields = new ArrayList<>(List.of(Field.nullable("id", new ArrowType.Int(64, true))));
    if (shape.equals("heavy")) {
      fields.add(Field.nullable("text", ArrowType.Utf8.INSTANCE));
    } else {
      fields.add(Field.nullable("x", new ArrowType.Int(32, true)));
      fields.add(Field.nullable("y", new ArrowType.Int(32, true)));
      if (shape.equals("wide")) {
        fields.add(Field.nullable("payload", ArrowType.Binary.INSTANCE));
      }
    }
    return new Schema(fields);
  }

  /** Rows per fragment for a table of {@code rows}: at least 8 fragments, so both workers have work. */
  static int rowsPerFragment(long rows) {
    return (int) Math.max(1, Math.min(MAX_ROWS_PER_FRAGMENT, (rows + 7) / 8));
  }

  /** Creates the table of {@code shape} ("narrow", "wide", "heavy") with ids 0 until {@code rows}. */
  public static void create(String uri, String shape, long rows) {
    try (BufferAllocator allocator = new RootAllocator()) {
      Dataset.create(allocator, uri, schema(shape), new WriteParams.Builder().build()).close();
    }
    append(uri, shape, 0, rows, rowsPerFragment(rows));
  }

  /** Appends rows with ids {@code first} until {@code end}, as fragments of {@code perFragment} rows, in one commit. */
  public static void append(String uri, String shape, long first, long end, int perFragment) {
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
      new FragmentOperation.Append(metas).commit(allocator, uri, Optional.of(readVersion), Map.of()).close();
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
    if (workload.embedding()) {
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
    long sum = 0;
    for (long id = 0; id < rows; id++) {
      sum += (long) x(id) * y(id);
    }
    return new Checksum(rows, sum, 0);
  }

  /** Rows {@code [start, stop)} as an Arrow stream of chunks, so no fragment is held in memory whole. */
  private static org.apache.arrow.c.ArrowArrayStream stream(BufferAllocator allocator, Schema schema, long start, long stop) {
    org.apache.arrow.c.ArrowArrayStream stream = org.apache.arrow.c.ArrowArrayStream.allocateNew(allocator);
    org.apache.arrow.c.Data.exportArrayStream(allocator, new Reader(allocator, schema, start, stop), stream);
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
