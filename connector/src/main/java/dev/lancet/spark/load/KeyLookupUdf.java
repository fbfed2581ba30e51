package dev.lancet.spark.load;

import dev.lancet.lance.LanceDatasets;
import dev.lancet.udf.Udf;
import dev.lancet.udf.UdfClassPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.arrow.memory.BufferAllocator;
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
  private Map<Object, Long> rows;
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
    long[] match = new long[n];
    TreeSet<Long> wanted = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      Object k = keys.isNull(i) ? null : normalize(keys.getObject(i));
      Long row = k == null ? null : rows.get(k);
      match[i] = row == null ? -1 : row;
      if (row != null) {
        wanted.add(row);
      }
    }
    StructVector out =
        new StructVector("value", allocator, FieldType.nullable(ArrowType.Struct.INSTANCE), null);
    out.initializeChildrenFromFields(fields);
    out.setInitialCapacity(n);
    out.allocateNew();
    try {
      Map<Long, Integer> position = new HashMap<>();
      List<Long> taken = new ArrayList<>(wanted);
      for (int i = 0; i < taken.size(); i++) {
        position.put(taken.get(i), i);
      }
      if (!taken.isEmpty()) {
        try (ArrowReader reader = source.take(taken, columns)) {
          int base = 0;
          while (reader.loadNextBatch()) {
            VectorSchemaRoot got = reader.getVectorSchemaRoot();
            for (int i = 0; i < n; i++) {
              if (match[i] < 0) {
                continue;
              }
              int at = position.get(match[i]) - base;
              if (at < 0 || at >= got.getRowCount()) {
                continue;
              }
              out.setIndexDefined(i);
              for (int c = 0; c < columns.size(); c++) {
                out.getChildByOrdinal(c).copyFromSafe(at, i, got.getVector(columns.get(c)));
              }
            }
            base += got.getRowCount();
          }
        }
      }
      for (int i = 0; i < n; i++) {
        if (match[i] < 0) {
          out.setNull(i);
        }
      }
      for (int c = 0; c < columns.size(); c++) {
        out.getChildByOrdinal(c).setValueCount(n);
      }
      out.setValueCount(n);
      return out;
    } catch (Exception | Error e) {
      out.close();
      throw e;
    }
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
    Map<Object, Long> byKey = new HashMap<>();
    ScanOptions options = new ScanOptions.Builder().columns(List.of(key)).batchSize(65_536).build();
    long row = 0;
    try (LanceScanner scanner = source.newScan(options);
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        ValueVector keys = reader.getVectorSchemaRoot().getVector(key);
        for (int i = 0; i < keys.getValueCount(); i++, row++) {
          if (!keys.isNull(i)) {
            byKey.put(normalize(keys.getObject(i)), row);
          }
        }
      }
    }
    rows = byKey;
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
