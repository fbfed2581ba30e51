package dev.lancet.spark.load;

import dev.lancet.lance.LanceDatasets;
import dev.lancet.udf.Udf;
import dev.lancet.udf.UdfClassPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * The UDF behind columns loaded by key ({@code ALTER TABLE t LOAD COLUMNS (a, b) FROM src KEY
 * (id)}): for each row of a batch, the loaded columns' values of the source row with the same key,
 * or nulls when there is none. The source is a Lance copy of it staged beside the table (options
 * {@code staging}, {@code key}, {@code columns}); a worker reads its keys once (a map from key to
 * row) and takes each batch's matching rows from it. Built in, like the SQL-expression UDF: it runs
 * where a backfill of the session runs, and reads the copy with the table's storage options, which
 * the worker gives a built-in UDF ({@link UdfClassPolicy#TABLE_STORAGE_OPTION}).
 */
@Udf(options = {"staging", "key", "columns", "identity"})
public final class KeyLookupUdf implements AutoCloseable {
  private final String staging;
  private final Map<String, String> storageOptions = new HashMap<>();
  private final String key;
  private final List<String> columns;
  private Dataset source;
  private Map<Object, Long> rows; // keys of other types than integers
  private LongRowMap longRows; // integer keys
  private List<Field> fields; // the loaded columns' fields, as the output struct's children

  public KeyLookupUdf(Map<String, String> options) {
    this.staging = options.get("staging");
    this.key = options.get("key");
    this.columns = List.of(options.getOrDefault("columns", "").split(","));
    // The table's store, where the source is staged: given by the worker, never stored.
    options.forEach(
        (k, v) -> {
          if (k.startsWith(UdfClassPolicy.TABLE_STORAGE_OPTION)) {
            storageOptions.put(k.substring(UdfClassPolicy.TABLE_STORAGE_OPTION.length()), v);
          }
        });
    if (staging == null || key == null || columns.get(0).isEmpty()) {
      throw new IllegalArgumentException("options 'staging', 'key' and 'columns' are required");
    }
  }

  /** The key column's values of the batch to the loaded columns' values, as a struct. */
  public FieldVector call(VectorSchemaRoot batch, BufferAllocator allocator) throws Exception {
    open();
    ValueVector keys = batch.getVector(key);
    int n = batch.getRowCount();
    // The source rows of the batch's matched rows, in the batch's order: Lance's take gives rows
    // in the order asked, repeats included (a key the table holds twice).
    boolean[] matched = new boolean[n];
    List<Long> taken = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long row = rowOf(keys, i);
      if (row >= 0) {
        matched[i] = true;
        taken.add(row);
      }
    }
    StructVector out =
        new StructVector("value", allocator, FieldType.nullable(ArrowType.Struct.INSTANCE), null);
    out.initializeChildrenFromFields(fields);
    try {
      if (taken.isEmpty()) {
        out.setInitialCapacity(n);
        out.allocateNew();
      } else {
        try (ArrowReader reader = source.take(taken, columns)) {
          fill(out, reader, matched, n, allocator);
        }
      }
      for (int i = 0; i < n; i++) {
        if (matched[i]) {
          out.setIndexDefined(i);
        } else {
          out.setNull(i);
        }
      }
      out.setValueCount(n);
      return out;
    } catch (Exception | Error e) {
      out.close();
      throw e;
    }
  }

  /**
   * Puts the taken rows into {@code out}'s children at the matched rows' places. When every row of
   * the batch matched and the take is one batch, its vectors become the children as they are (no
   * copy: a row-by-row copy of a {@code float[64]} column was most of a load's Java time);
   * otherwise each row is copied to its place.
   */
  private void fill(
      StructVector out, ArrowReader reader, boolean[] matched, int n, BufferAllocator allocator)
      throws Exception {
    out.setInitialCapacity(n);
    out.allocateNew();
    boolean first = true;
    int i = 0; // the batch row the next taken row goes to
    while (reader.loadNextBatch()) {
      VectorSchemaRoot got = reader.getVectorSchemaRoot();
      if (first && got.getRowCount() == n && transferable(got, allocator)) {
        for (int c = 0; c < columns.size(); c++) {
          got.getVector(columns.get(c)).makeTransferPair(out.getChildByOrdinal(c)).transfer();
        }
        return;
      }
      first = false;
      for (int j = 0; j < got.getRowCount(); j++, i++) {
        while (!matched[i]) {
          i++;
        }
        for (int c = 0; c < columns.size(); c++) {
          out.getChildByOrdinal(c).copyFromSafe(j, i, got.getVector(columns.get(c)));
        }
      }
    }
  }

  /**
   * Whether {@code got}'s buffers can move to {@code allocator}: Arrow moves them within a root.
   */
  private static boolean transferable(VectorSchemaRoot got, BufferAllocator allocator) {
    return got.getFieldVectors().stream()
        .allMatch(v -> v.getAllocator().getRoot() == allocator.getRoot());
  }

  /** Opens the staged source and reads its schema and keys once. */
  private void open() throws Exception {
    if (source != null) {
      return;
    }
    source = LanceDatasets.open(staging, storageOptions);
    org.apache.arrow.vector.types.pojo.Schema schema = source.getSchema();
    List<Field> loaded = new ArrayList<>();
    for (String c : columns) {
      Field f = schema.findField(c);
      loaded.add(new Field(c, FieldType.nullable(f.getType()), f.getChildren()));
    }
    fields = loaded;
    long count = source.countRows();
    boolean integers =
        schema.findField(key).getType() instanceof ArrowType.Int && count < Integer.MAX_VALUE;
    Map<Object, Long> byKey = integers ? null : new HashMap<>();
    LongRowMap byLong = integers ? new LongRowMap(count) : null;
    ScanOptions options = new ScanOptions.Builder().columns(List.of(key)).batchSize(65_536).build();
    long row = 0;
    try (LanceScanner scanner = source.newScan(options);
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        ValueVector keys = reader.getVectorSchemaRoot().getVector(key);
        for (int i = 0; i < keys.getValueCount(); i++, row++) {
          if (keys.isNull(i)) {
            continue;
          }
          if (integers) {
            byLong.put(((BaseIntVector) keys).getValueAsLong(i), (int) row);
          } else {
            byKey.put(normalize(keys.getObject(i)), row);
          }
        }
      }
    }
    rows = byKey;
    longRows = byLong;
  }

  /** The staged source's row of the batch's row {@code i}, or -1 when its key has none. */
  private long rowOf(ValueVector keys, int i) {
    if (keys.isNull(i)) {
      return -1;
    }
    if (longRows != null && keys instanceof BaseIntVector ints) {
      return longRows.get(ints.getValueAsLong(i));
    }
    if (longRows != null) {
      return -1; // a key of another type than the source's integers matches none
    }
    Long row = rows.get(normalize(keys.getObject(i)));
    return row == null ? -1 : row;
  }

  /** Keys compare by value: strings as Java strings, integers as longs. */
  private static Object normalize(Object k) {
    if (k instanceof org.apache.arrow.vector.util.Text t) {
      return t.toString();
    }
    if (k instanceof Integer || k instanceof Short || k instanceof Byte) {
      return ((Number) k).longValue();
    }
    return k;
  }

  @Override
  public void close() {
    if (source != null) {
      source.close();
      source = null;
    }
  }
}
