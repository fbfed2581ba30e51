package dev.lancet.backfill.store;

import dev.lancet.lance.TableLocation;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.FragmentOperation;
import org.lance.ReadOptions;
import org.lance.WriteParams;
import org.lance.cleanup.CleanupPolicy;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * A small Lance table Lancet keeps beside a user's table (under {@code <table>/_lancet/}), so it
 * lives wherever the table does and is written through Lance's own I/O: job records, the column
 * state. Rows are appended; concurrent appends never conflict, and a lost race to create the table
 * or to commit is retried.
 */
final class InternalTable {
  private static final int ATTEMPTS = 5;
  private final TableLocation location;
  private final String uri;
  private final Schema schema;

  InternalTable(TableLocation location, Schema schema) {
    this.location = location;
    this.uri = location.uri();
    this.schema = schema;
  }

  String uri() {
    return uri;
  }

  /** The current version, or empty when the table does not exist yet. */
  Optional<Long> version(BufferAllocator allocator) {
    try (Dataset d = open(allocator)) {
      return Optional.of(d.version());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private Dataset open(BufferAllocator allocator) {
    return Dataset.open(
        allocator,
        uri,
        new ReadOptions.Builder().setStorageOptions(location.storageOptions()).build());
  }

  /**
   * This JVM's lock of each internal table: its writers commit one at a time. Lance's commits of
   * one table from several threads at once (the columns of one statement, backfilled together) were
   * seen to leave the table's latest version behind one of them for a while: a reader then missed
   * rows just appended, and a column recomputed work it had finished.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, Object> WRITERS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Object writeLock() {
    return WRITERS.computeIfAbsent(uri, k -> new Object());
  }

  /** Appends the rows of {@code root} (of this table's schema) as one fragment. */
  void append(VectorSchemaRoot root, BufferAllocator allocator) {
    synchronized (writeLock()) {
      appendUnlocked(root, allocator);
    }
  }

  private void appendUnlocked(VectorSchemaRoot root, BufferAllocator allocator) {
    WriteParams params =
        new WriteParams.Builder().withStorageOptions(location.storageOptions()).build();
    RuntimeException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        Optional<Long> readVersion = version(allocator);
        if (readVersion.isEmpty()) {
          Dataset.create(allocator, uri, schema, params).close();
          readVersion = version(allocator);
        }
        List<FragmentMetadata> fragments = Fragment.create(uri, allocator, root, params);
        new FragmentOperation.Append(fragments)
            .commit(allocator, uri, readVersion, location.storageOptions())
            .close();
        return;
      } catch (RuntimeException e) {
        last = e; // created or appended to by another process meanwhile: read again and retry
      }
    }
    throw last;
  }

  /**
   * How long a replaced version's files stay: a reader in another process may still be scanning it
   * (two sessions backfilling one table), and the table is replaced every few appends.
   */
  static final long KEEP_REPLACED_MILLIS = 10 * 60_000L;

  /**
   * Replaces every row with those of {@code root} and removes the files of versions older than
   * {@link #KEEP_REPLACED_MILLIS} (this table's history is of no use to anyone once no reader is on
   * it).
   */
  void replace(VectorSchemaRoot root, BufferAllocator allocator) {
    synchronized (writeLock()) {
      replaceUnlocked(root, allocator);
    }
  }

  private void replaceUnlocked(VectorSchemaRoot root, BufferAllocator allocator) {
    WriteParams params =
        new WriteParams.Builder().withStorageOptions(location.storageOptions()).build();
    Optional<Long> readVersion = version(allocator);
    List<FragmentMetadata> fragments =
        root.getRowCount() == 0 ? List.of() : Fragment.create(uri, allocator, root, params);
    try (Dataset replaced =
        new FragmentOperation.Overwrite(fragments, schema)
            .commit(allocator, uri, readVersion, location.storageOptions())) {
      replaced.cleanupWithPolicy(
          CleanupPolicy.builder()
              .withBeforeTimestampMillis(System.currentTimeMillis() - KEEP_REPLACED_MILLIS)
              .build());
    }
  }

  /** Number of fragments (appends since the last {@link #replace}). */
  int fragmentCount(BufferAllocator allocator) {
    try (Dataset d = open(allocator)) {
      return d.getFragments().size();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * Hands every batch matching {@code filter} (null for all) to {@code reader}, in append order.
   */
  void scan(String filter, BufferAllocator allocator, Consumer<VectorSchemaRoot> reader) {
    scan(filter, null, allocator, reader);
  }

  /** {@link #scan(String, BufferAllocator, Consumer)} of only {@code columns} (null for all). */
  void scan(
      String filter,
      List<String> columns,
      BufferAllocator allocator,
      Consumer<VectorSchemaRoot> reader) {
    Dataset opened;
    try {
      opened = open(allocator);
    } catch (RuntimeException e) {
      return; // no table yet: nothing recorded (one open, not a version check and another open)
    }
    ScanOptions.Builder options = new ScanOptions.Builder();
    if (filter != null) {
      options.filter(filter);
    }
    if (columns != null) {
      options.columns(columns);
    }
    try (Dataset dataset = opened;
        LanceScanner scanner = dataset.newScan(options.build());
        ArrowReader batches = scanner.scanBatches()) {
      while (batches.loadNextBatch()) {
        reader.accept(batches.getVectorSchemaRoot());
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR, e, "cannot read " + uri + ": " + e.getMessage());
    }
  }

  /** A Lance string literal. */
  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
