package dev.lancet.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.FragmentOperation;
import org.lance.WriteParams;

/**
 * Real Lance tables on disk for tests: {@code (id int, x int, y int, name string)} with {@code x =
 * id % 7 + 1}, {@code y = id % 5 + 2}, {@code name = "file-<id>"}, written as the requested number
 * of fragments.
 */
public final class LanceTestTables {
  public static final Schema SCHEMA =
      new Schema(
          List.of(
              Field.nullable("id", new ArrowType.Int(32, true)),
              Field.nullable("x", new ArrowType.Int(32, true)),
              Field.nullable("y", new ArrowType.Int(32, true)),
              Field.nullable("name", ArrowType.Utf8.INSTANCE)));

  private LanceTestTables() {}

  public static int x(int id) {
    return id % 7 + 1;
  }

  public static int y(int id) {
    return id % 5 + 2;
  }

  /**
   * Creates a table with {@code fragments} fragments of {@code rowsPerFragment} rows; ids start at
   * 0.
   */
  public static String create(Path dir, String name, int fragments, int rowsPerFragment) {
    String uri = dir.resolve(name + ".lance").toString();
    try (BufferAllocator allocator = new RootAllocator()) {
      WriteParams params = new WriteParams.Builder().build();
      Dataset.create(allocator, uri, SCHEMA, params).close();
      append(uri, 0, fragments, rowsPerFragment);
    }
    return uri;
  }

  /** Appends {@code fragments} new fragments with ids from {@code firstId} on. */
  public static void append(String uri, int firstId, int fragments, int rowsPerFragment) {
    append(uri, Map.of(), firstId, fragments, rowsPerFragment);
  }

  /**
   * Creates a table at a URI (an object store's, with its storage options) as {@link #create} does.
   */
  public static String create(
      String uri, Map<String, String> storage, int fragments, int rowsPerFragment) {
    return create(uri, storage, fragments, rowsPerFragment, null);
  }

  /** Creates a table as {@link #create} does, its files in a Lance file format ("2.1"). */
  public static String createInFormat(
      Path dir, String name, int fragments, int rowsPerFragment, String format) {
    return create(
        dir.resolve(name + ".lance").toString(), Map.of(), fragments, rowsPerFragment, format);
  }

  private static String create(
      String uri, Map<String, String> storage, int fragments, int rowsPerFragment, String format) {
    try (BufferAllocator allocator = new RootAllocator()) {
      Dataset.create(allocator, uri, SCHEMA, params(storage, format)).close();
      append(uri, storage, 0, fragments, rowsPerFragment, format);
    }
    return uri;
  }

  private static WriteParams params(Map<String, String> storage, String format) {
    WriteParams.Builder params = new WriteParams.Builder().withStorageOptions(storage);
    if (format != null) {
      params.withDataStorageVersion(format);
    }
    return params.build();
  }

  /** Appends fragments to a table opened with these storage options. */
  public static void append(
      String uri, Map<String, String> storage, int firstId, int fragments, int rowsPerFragment) {
    append(uri, storage, firstId, fragments, rowsPerFragment, null);
  }

  private static void append(
      String uri,
      Map<String, String> storage,
      int firstId,
      int fragments,
      int rowsPerFragment,
      String format) {
    try (BufferAllocator allocator = new RootAllocator()) {
      long readVersion = LanceTestReads.version(uri, storage);
      List<FragmentMetadata> metas = new ArrayList<>();
      int id = firstId;
      for (int f = 0; f < fragments; f++) {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
          fill(root, id, rowsPerFragment);
          id += rowsPerFragment;
          metas.addAll(Fragment.create(uri, allocator, root, params(storage, format)));
        }
      }
      new FragmentOperation.Append(metas)
          .commit(allocator, uri, Optional.of(readVersion), storage)
          .close();
    }
  }

  /**
   * Appends one fragment written with the table's whole current schema, as Spark's INSERT does:
   * virtual columns are in the same data file as the rest (all null).
   */
  public static void appendWithAllColumns(String uri, int firstId, int rows) {
    try (BufferAllocator allocator = new RootAllocator()) {
      long readVersion = LanceTestReads.version(uri);
      Schema schema;
      try (Dataset ds = Dataset.open(uri, allocator)) {
        schema = ds.getSchema();
      }
      try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
        fill(root, firstId, rows);
        root.getFieldVectors().forEach(v -> v.setValueCount(rows));
        root.setRowCount(rows);
        List<FragmentMetadata> metas =
            Fragment.create(uri, allocator, root, new WriteParams.Builder().build());
        new FragmentOperation.Append(metas)
            .commit(allocator, uri, Optional.of(readVersion), Map.of())
            .close();
      }
    }
  }

  private static void fill(VectorSchemaRoot root, int firstId, int rows) {
    IntVector ids = (IntVector) root.getVector("id");
    IntVector xs = (IntVector) root.getVector("x");
    IntVector ys = (IntVector) root.getVector("y");
    VarCharVector names = (VarCharVector) root.getVector("name");
    root.allocateNew();
    for (int i = 0; i < rows; i++) {
      int id = firstId + i;
      ids.setSafe(i, id);
      xs.setSafe(i, x(id));
      ys.setSafe(i, y(id));
      names.setSafe(i, ("file-" + id).getBytes(StandardCharsets.UTF_8));
    }
    root.setRowCount(rows);
  }

  /**
   * {@link #create} with 3 fragments of 10 rows and a virtual column {@code area} computed by
   * {@link dev.lancet.testing.udfs.Counting.Area} from (id, x, y); the call counter, hook and
   * failures reset.
   */
  public static String withCountingArea(Path dir) {
    dev.lancet.testing.udfs.Counting.CALLS.set(0);
    dev.lancet.testing.udfs.Counting.HOOK.set(null);
    dev.lancet.testing.udfs.Counting.failFrom = Integer.MAX_VALUE;
    String uri = create(dir, "t", 3, 10); // ids 0..29, fragments of 10
    dev.lancet.backfill.VirtualColumns.add(
        uri,
        Map.of(),
        "area",
        dev.lancet.udf.UdfInspector.inspect(
            dev.lancet.testing.udfs.Counting.Area.class, Map.of(), List.of("id", "x", "y")));
    return uri;
  }

  /** An Arrow field for tests that add plain columns. */
  public static Field intField(String name) {
    return new Field(name, FieldType.nullable(new ArrowType.Int(32, true)), null);
  }
}
