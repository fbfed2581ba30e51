package dev.lancet.backfill.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.JobStatus;
import dev.lancet.backfill.RowError;
import dev.lancet.lance.Allocators;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentOperation;
import org.lance.ReadOptions;
import org.lance.WriteParams;
import org.lance.cleanup.CleanupPolicy;
import org.lance.compaction.CompactionOptions;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Longer than 300 lines: the job table's schema, its migration from earlier releases, and its row
// codec must change together.
/**
 * Job records in the Lance table {@code <table>/_lancet/jobs}, so they live wherever the table
 * does. A job appends a {@code running} row when it starts and its final row when it ends; a reader
 * keeps the last row of each job. Failing to write a record never fails the backfill.
 */
public final class JobRecords {
  private static final Logger LOG = LoggerFactory.getLogger(JobRecords.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema SCHEMA =
      new Schema(
          List.of(
              Cells.utf8("job_id"),
              Cells.utf8("column"),
              Cells.utf8("filter"),
              Cells.utf8("udf_version"),
              Cells.int64("read_version"),
              Cells.utf8("status"),
              Cells.int32("fragments_done"),
              Cells.int32("fragments_total"),
              Cells.int64("rows_computed"),
              Cells.int64("rows_skipped"),
              Cells.int64("rows_failed"),
              Field.nullable(
                  "rows_per_second", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
              Cells.int64("table_version"),
              Cells.int64("started_at"),
              Cells.int64("finished_at"),
              Cells.utf8("error"),
              Cells.utf8("row_errors"),
              Cells.utf8("code"),
              Cells.utf8("nodes"),
              Cells.int64("row_limit"),
              Cells.int64("peak_task_memory")));

  /**
   * Columns added after the first release: a jobs table made before them is rewritten with them on
   * its next write.
   */
  private static final List<String> LATER_COLUMNS =
      List.of("code", "nodes", "row_limit", "peak_task_memory");

  private JobRecords() {}

  static String uri(String datasetUri) {
    return InternalPaths.JOBS.under(datasetUri);
  }

  /** Appends a record; logs and carries on if it cannot. */
  public static void write(TableLocation table, BackfillJob record) {
    TableLocation jobs = InternalPaths.JOBS.under(table);
    String uri = jobs.uri();
    try (BufferAllocator allocator = Allocators.child("lancet-jobs");
        VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      fill(root, record);
      WriteParams params =
          new WriteParams.Builder().withStorageOptions(jobs.storageOptions()).build();
      for (int attempt = 0; ; attempt++) {
        try {
          Optional<Current> current = current(jobs, allocator);
          if (current.isEmpty()) {
            Dataset.create(allocator, uri, SCHEMA, params).close();
            continue;
          }
          if (current.get().earlierSchema()) {
            migrateEarlierSchema(jobs, allocator);
            continue;
          }
          try (Dataset appended =
              new FragmentOperation.Append(Fragment.create(uri, allocator, root, params))
                  .commit(
                      allocator,
                      uri,
                      Optional.of(current.get().version()),
                      jobs.storageOptions())) {
            compactIfLarge(appended);
          }
          return;
        } catch (Exception e) { // Lance's native calls throw IOException undeclared
          if (attempt >= 3) {
            throw e;
          }
        }
      }
    } catch (Exception e) {
      LOG.warn(
          "job {} of {}: cannot write its record: {}", record.jobId(), table.uri(), e.toString());
    }
  }

  /**
   * The job table gains a fragment and a version with every record, so it is compacted once it
   * holds more than {@value #COMPACT_AFTER_FRAGMENTS} fragments: Lance's compaction (a Rewrite,
   * which other writers' appends do not conflict with), then its versions older than an hour go (a
   * reader of one of them has long finished). Every record stays; a failure only waits for the next
   * record.
   */
  private static void compactIfLarge(Dataset jobs) {
    try {
      if (jobs.getFragments().size() <= COMPACT_AFTER_FRAGMENTS) {
        return;
      }
      jobs.compact(CompactionOptions.builder().withTargetRowsPerFragment(1_000_000).build());
      jobs.cleanupWithPolicy(
          CleanupPolicy.builder()
              .withBeforeTimestampMillis(System.currentTimeMillis() - KEEP_VERSIONS_MILLIS)
              .build());
    } catch (Exception e) { // Lance's native calls throw IOException undeclared
      LOG.debug("cannot compact the job table {}: {}", jobs.uri(), e.toString());
    }
  }

  /** Fragments of the job table (records appended since its last compaction) before compacting. */
  static final int COMPACT_AFTER_FRAGMENTS = 8;

  /** How long the job table's old versions are kept after a compaction. */
  static final long KEEP_VERSIONS_MILLIS = 60 * 60_000L;

  /** The table's jobs, oldest first, each in its latest state. */
  public static List<BackfillJob> list(TableLocation table) {
    String datasetUri = table.uri();
    Map<String, BackfillJob> jobs = new LinkedHashMap<>();
    TableLocation records = InternalPaths.JOBS.under(table);
    try (BufferAllocator allocator = Allocators.child("lancet-jobs")) {
      if (current(records, allocator).isEmpty()) {
        return List.of();
      }
      try (Dataset dataset =
              Dataset.open(
                  allocator,
                  records.uri(),
                  new ReadOptions.Builder().setStorageOptions(records.storageOptions()).build());
          LanceScanner scanner = dataset.newScan(new ScanOptions.Builder().build());
          ArrowReader reader = scanner.scanBatches()) {
        while (reader.loadNextBatch()) {
          VectorSchemaRoot root = reader.getVectorSchemaRoot();
          for (int i = 0; i < root.getRowCount(); i++) {
            // Rows come back in append order: a job's final row replaces its "running" row.
            BackfillJob r = read(root, i);
            jobs.put(r.jobId(), r);
          }
        }
      }
    } catch (Exception e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR,
          e,
          "cannot read the job records of " + datasetUri + ": " + e.getMessage());
    }
    List<BackfillJob> out = new ArrayList<>();
    JobSignals signals = new JobSignals(table);
    long now = System.currentTimeMillis();
    try (BufferAllocator allocator = Allocators.child("lancet-jobs")) {
      for (BackfillJob j : jobs.values()) {
        // A job whose driver died (kill -9) never wrote its final row: without a recent heartbeat
        // it is abandoned, not running.
        if (j.status() == JobStatus.RUNNING
            && now - Math.max(j.startedAt(), signals.lastHeartbeat(j.jobId(), allocator))
                > JobSignals.abandonedAfterMillis()) {
          j = j.withStatus(JobStatus.ABANDONED);
        }
        out.add(j);
      }
    }
    out.sort(java.util.Comparator.comparingLong(BackfillJob::startedAt));
    return out;
  }

  /**
   * The latest record of {@code column}'s jobs that computed rows at a measured rate, or empty:
   * what the default task size and EXPLAIN learn the UDF's cost from. One filtered scan; a table
   * without job records has none.
   */
  public static Optional<BackfillJob> lastRate(TableLocation table, String column) {
    TableLocation records = InternalPaths.JOBS.under(table);
    BackfillJob last = null;
    try (BufferAllocator allocator = Allocators.child("lancet-jobs");
        Dataset dataset =
            Dataset.open(
                allocator,
                records.uri(),
                new ReadOptions.Builder().setStorageOptions(records.storageOptions()).build());
        LanceScanner scanner =
            dataset.newScan(
                new ScanOptions.Builder()
                    .filter(
                        "`column` = "
                            + InternalTable.literal(column)
                            + " AND rows_computed > 0 AND rows_per_second > 0")
                    .build());
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        for (int i = 0; i < root.getRowCount(); i++) {
          last = read(root, i); // in append order: the last is the latest
        }
      }
    } catch (Exception e) {
      return Optional.empty(); // no records yet, or unreadable: no rate rather than no backfill
    }
    return Optional.ofNullable(last);
  }

  /** Asks a job to stop through its table (its driver may be another process). */
  public static void requestCancel(TableLocation table, String jobId, String reason) {
    try (BufferAllocator allocator = Allocators.child("lancet-jobs")) {
      new JobSignals(table).requestCancel(jobId, reason, allocator);
    } catch (Exception e) {
      throw new dev.lancet.backfill.BackfillException(
          "cannot ask job " + jobId + " to stop: " + e.getMessage(), e);
    }
  }

  /** Convenience for local tables. */
  public static List<BackfillJob> list(String datasetUri) {
    return list(new TableLocation(datasetUri, Map.of()));
  }

  /**
   * A jobs table as it is now: its version, and whether its schema is an earlier release's (lacks
   * {@link #LATER_COLUMNS}).
   */
  private record Current(long version, boolean earlierSchema) {}

  /** The table now (one open tells both), or empty when it does not exist yet. */
  private static Optional<Current> current(TableLocation jobs, BufferAllocator allocator) {
    try (Dataset d =
        Dataset.open(
            allocator,
            jobs.uri(),
            new ReadOptions.Builder().setStorageOptions(jobs.storageOptions()).build())) {
      return Optional.of(new Current(d.version(), !hasLaterColumns(d)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean hasLaterColumns(Dataset d) {
    java.util.Set<String> have = new java.util.HashSet<>();
    d.getSchema().getFields().forEach(f -> have.add(f.getName()));
    return have.containsAll(LATER_COLUMNS);
  }

  /**
   * Rewrites a jobs table of an earlier release, which lacks the later columns, with every row it
   * holds (in order) in the current schema, unless another writer did first. Lance's {@code
   * addColumns} would not do: rows appended after it would not reach the added fields.
   */
  private static void migrateEarlierSchema(TableLocation jobs, BufferAllocator allocator) {
    String uri = jobs.uri();
    Map<String, String> storageOptions = jobs.storageOptions();
    List<BackfillJob> rows = new ArrayList<>();
    long readVersion;
    try (Dataset d =
        Dataset.open(
            allocator, uri, new ReadOptions.Builder().setStorageOptions(storageOptions).build())) {
      if (hasLaterColumns(d)) {
        return;
      }
      readVersion = d.version();
      try (LanceScanner scanner = d.newScan(new ScanOptions.Builder().build());
          ArrowReader reader = scanner.scanBatches()) {
        while (reader.loadNextBatch()) {
          VectorSchemaRoot root = reader.getVectorSchemaRoot();
          for (int i = 0; i < root.getRowCount(); i++) {
            rows.add(read(root, i));
          }
        }
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR,
          e,
          "cannot read the job records at " + uri + ": " + e.getMessage());
    }
    WriteParams params = new WriteParams.Builder().withStorageOptions(storageOptions).build();
    List<org.lance.FragmentMetadata> fragments = new ArrayList<>();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      for (BackfillJob r : rows) {
        fill(root, r);
        fragments.addAll(Fragment.create(uri, allocator, root, params));
      }
    }
    new FragmentOperation.Overwrite(fragments, SCHEMA)
        .commit(allocator, uri, Optional.of(readVersion), storageOptions)
        .close();
  }

  private static void fill(VectorSchemaRoot root, BackfillJob r) {
    root.allocateNew();
    Cells.setText(root, "job_id", 0, r.jobId());
    Cells.setText(root, "column", 0, r.column());
    Cells.setText(root, "filter", 0, r.filter());
    Cells.setText(root, "udf_version", 0, r.udfVersion());
    ((BigIntVector) root.getVector("read_version")).setSafe(0, r.readVersion());
    Cells.setText(root, "status", 0, r.status().label());
    ((IntVector) root.getVector("fragments_done")).setSafe(0, r.fragmentsDone());
    ((IntVector) root.getVector("fragments_total")).setSafe(0, r.fragmentsTotal());
    ((BigIntVector) root.getVector("rows_computed")).setSafe(0, r.rowsComputed());
    ((BigIntVector) root.getVector("rows_skipped")).setSafe(0, r.rowsSkipped());
    ((BigIntVector) root.getVector("rows_failed")).setSafe(0, r.rowsFailed());
    ((Float8Vector) root.getVector("rows_per_second")).setSafe(0, r.rowsPerSecond());
    ((BigIntVector) root.getVector("table_version")).setSafe(0, r.tableVersion());
    ((BigIntVector) root.getVector("started_at")).setSafe(0, r.startedAt());
    ((BigIntVector) root.getVector("finished_at")).setSafe(0, r.finishedAt());
    Cells.setText(root, "error", 0, r.error());
    ((BigIntVector) root.getVector("row_limit")).setSafe(0, r.limit());
    ((BigIntVector) root.getVector("peak_task_memory")).setSafe(0, r.peakTaskMemoryBytes());
    try {
      Cells.setText(root, "row_errors", 0, JSON.writeValueAsString(r.rowErrors()));
      Cells.setText(root, "code", 0, JSON.writeValueAsString(r.code()));
      Cells.setText(root, "nodes", 0, JSON.writeValueAsString(r.fragmentsByNode()));
    } catch (Exception e) {
      Cells.setText(root, "row_errors", 0, "[]");
    }
    for (FieldVector v : root.getFieldVectors()) {
      v.setValueCount(1);
    }
    root.setRowCount(1);
  }

  private static BackfillJob read(VectorSchemaRoot root, int i) throws Exception {
    List<RowError> errors =
        JSON.readValue(Cells.text(root, "row_errors", i), new TypeReference<List<RowError>>() {});
    return new BackfillJob(
        Cells.text(root, "job_id", i),
        Cells.text(root, "column", i),
        Cells.text(root, "filter", i),
        Cells.text(root, "udf_version", i),
        lng(root, "read_version", i),
        JobStatus.parse(Cells.text(root, "status", i)),
        (Integer) root.getVector("fragments_done").getObject(i),
        (Integer) root.getVector("fragments_total").getObject(i),
        lng(root, "rows_computed", i),
        lng(root, "rows_skipped", i),
        lng(root, "rows_failed", i),
        (Double) root.getVector("rows_per_second").getObject(i),
        lng(root, "table_version", i),
        lng(root, "started_at", i),
        lng(root, "finished_at", i),
        Cells.text(root, "error", i),
        errors,
        json(root, "code", i, new TypeReference<List<String>>() {}),
        json(root, "nodes", i, new TypeReference<Map<String, Integer>>() {}),
        lngOrZero(root, "row_limit", i),
        lngOrZero(root, "peak_task_memory", i));
  }

  /** A later column's value: 0 when a table of an earlier release has no such column. */
  private static long lngOrZero(VectorSchemaRoot root, String name, int i) {
    if (root.getSchema().getFields().stream().noneMatch(f -> f.getName().equals(name))) {
      return 0;
    }
    Object v = root.getVector(name).getObject(i);
    return v == null ? 0 : (Long) v;
  }

  /** A JSON column's value, or null when the row (or a table of an earlier release) has none. */
  private static <T> T json(VectorSchemaRoot root, String name, int i, TypeReference<T> type)
      throws Exception {
    if (root.getSchema().getFields().stream().noneMatch(f -> f.getName().equals(name))) {
      return null;
    }
    String text = Cells.text(root, name, i);
    return text == null ? null : JSON.readValue(text, type);
  }

  private static void set(VectorSchemaRoot root, String name, String value) {
    VarCharVector v = (VarCharVector) root.getVector(name);
    if (value == null) {
      v.setNull(0);
    } else {
      v.setSafe(0, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static long lng(VectorSchemaRoot root, String name, int i) {
    return (Long) root.getVector(name).getObject(i);
  }
}
