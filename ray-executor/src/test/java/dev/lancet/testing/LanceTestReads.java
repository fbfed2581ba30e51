package dev.lancet.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/** Reads a Lance table back as plain Java values, for assertions. */
public final class LanceTestReads {
  private LanceTestReads() {}

  /** Every live row's columns, keyed by column name, in scan order. */
  public static List<Map<String, Object>> rows(String uri, List<String> columns) {
    return rows(uri, Map.of(), columns);
  }

  /** Every live row's columns of a table opened with these storage options. */
  public static List<Map<String, Object>> rows(
      String uri, Map<String, String> storage, List<String> columns) {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator();
        Dataset dataset = open(uri, storage, allocator);
        LanceScanner scanner = dataset.newScan(new ScanOptions.Builder().columns(columns).build());
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        for (int i = 0; i < root.getRowCount(); i++) {
          Map<String, Object> row = new HashMap<>();
          for (String c : columns) {
            FieldVector v = root.getVector(c);
            Object value = v.getObject(i);
            row.put(
                c,
                value == null
                    ? null
                    : value instanceof org.apache.arrow.vector.util.Text t ? t.toString() : value);
          }
          rows.add(row);
        }
      }
    } catch (Exception e) {
      throw new AssertionError("reading " + uri + " failed: " + e, e);
    }
    return rows;
  }

  /** The table's latest version. */
  /**
   * Checks that every live row of {@code uri}'s table (of {@link LanceTestTables}) has area = x *
   * y, as the Area UDFs compute it.
   */
  public static void assertEveryAreaIsXTimesY(String uri) {
    for (Map<String, Object> row : rows(uri, List.of("id", "area"))) {
      int id = (Integer) row.get("id");
      org.junit.jupiter.api.Assertions.assertEquals(
          (long) LanceTestTables.x(id) * LanceTestTables.y(id),
          row.get("area"),
          "area of id " + id);
    }
  }

  public static long version(String uri) {
    return version(uri, Map.of());
  }

  /** The latest version of a table opened with these storage options. */
  public static long version(String uri, Map<String, String> storage) {
    try (BufferAllocator allocator = new RootAllocator();
        Dataset dataset = open(uri, storage, allocator)) {
      return dataset.version();
    }
  }

  /** Opens a table with storage options (none for a local path). */
  public static Dataset open(String uri, Map<String, String> storage, BufferAllocator allocator) {
    return Dataset.open(
        allocator, uri, new org.lance.ReadOptions.Builder().setStorageOptions(storage).build());
  }
}
