package dev.lancet.spark.metadata;

import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.BackfillJobs;
import dev.lancet.backfill.RecordedError;
import dev.lancet.backfill.RowState;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.udf.UdfSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The rows of a Lance table's backfill jobs, backfill errors and virtual columns, in the one shape
 * both the SHOW statements and the metadata tables ({@code t.backfill_jobs}, ...) return.
 */
public final class MetadataRows {
  private MetadataRows() {}

  /** A table's backfill jobs. */
  public static final StructType JOBS =
      new StructType()
          .add("table", DataTypes.StringType, false)
          .add("job_id", DataTypes.StringType, false)
          .add("column", DataTypes.StringType, false)
          .add("filter", DataTypes.StringType, true)
          .add("status", DataTypes.StringType, false)
          .add("fragments_done", DataTypes.IntegerType, false)
          .add("fragments_total", DataTypes.IntegerType, false)
          .add("rows_computed", DataTypes.LongType, false)
          .add("rows_skipped", DataTypes.LongType, false)
          .add("rows_failed", DataTypes.LongType, false)
          .add("rows_per_second", DataTypes.DoubleType, false)
          .add("table_version", DataTypes.LongType, false)
          .add("started_at", DataTypes.TimestampType, false)
          .add("finished_at", DataTypes.TimestampType, true)
          .add("error", DataTypes.StringType, true)
          .add("nodes", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType), false)
          .add("code", DataTypes.createArrayType(DataTypes.StringType), false)
          .add("row_limit", DataTypes.LongType, true)
          .add("peak_task_memory_bytes", DataTypes.LongType, true);

  /** The rows whose UDF call failed. */
  public static final StructType ERRORS =
      new StructType()
          .add("table", DataTypes.StringType, false)
          .add("job_id", DataTypes.StringType, false)
          .add("column", DataTypes.StringType, false)
          .add("row_address", DataTypes.LongType, false)
          .add("fragment", DataTypes.IntegerType, false)
          .add("row", DataTypes.LongType, false)
          .add("inputs", DataTypes.StringType, true)
          .add("error", DataTypes.StringType, true)
          .add("attempts", DataTypes.IntegerType, false)
          .add("recorded_at", DataTypes.TimestampType, false);

  /**
   * A table's virtual columns: definition, version, code, and the live rows by state (the rows not
   * current are exactly those the next backfill without a filter computes), and for a sibling
   * column the group one UDF computes with it (which shares its definition and row counts).
   */
  public static final StructType VIRTUAL_COLUMNS =
      new StructType()
          .add("column", DataTypes.StringType, false)
          .add("type", DataTypes.StringType, false)
          .add("udf_class", DataTypes.StringType, false)
          .add("kind", DataTypes.StringType, false)
          .add("inputs", DataTypes.StringType, false)
          .add("options", DataTypes.StringType, false)
          .add("version", DataTypes.StringType, false)
          .add("code", DataTypes.StringType, false)
          .add("rows_current", DataTypes.LongType, false)
          .add("rows_input_changed", DataTypes.LongType, false)
          .add("rows_version_changed", DataTypes.LongType, false)
          .add("rows_failed", DataTypes.LongType, false)
          .add("rows_never_computed", DataTypes.LongType, false)
          .add("rows", DataTypes.LongType, false)
          .add("materialized", DataTypes.DoubleType, false)
          .add("siblings", DataTypes.StringType, true);

  /**
   * The backfill jobs of the table at {@code datasetUri}, named {@code table} in the rows.
   *
   * @param table the table's name as users write it
   */
  public static List<InternalRow> jobs(
      String table, String datasetUri, Map<String, String> storageOptions) {
    List<InternalRow> rows = new ArrayList<>();
    for (BackfillJob j : BackfillJobs.list(datasetUri, storageOptions)) {
      rows.add(
          new GenericInternalRow(
              new Object[] {
                str(table),
                str(j.jobId()),
                str(j.column()),
                str(j.filter()),
                str(j.status().label()),
                j.fragmentsDone(),
                j.fragmentsTotal(),
                j.rowsComputed(),
                j.rowsSkipped(),
                j.rowsFailed(),
                j.rowsPerSecond(),
                j.tableVersion(),
                j.startedAt() * 1000,
                j.finishedAt() == 0 ? null : j.finishedAt() * 1000,
                str(j.error()),
                nodes(j),
                new GenericArrayData(j.code().stream().map(MetadataRows::str).toArray()),
                j.limit() == 0 ? null : j.limit(),
                j.peakTaskMemoryBytes() == 0 ? null : j.peakTaskMemoryBytes()
              }));
    }
    return rows;
  }

  /** The failed rows recorded for the table at {@code datasetUri}: one job's, or every job's. */
  public static List<InternalRow> errors(
      String table, String datasetUri, Map<String, String> storageOptions, String jobId) {
    List<InternalRow> rows = new ArrayList<>();
    for (RecordedError e : BackfillJobs.errors(datasetUri, storageOptions, jobId)) {
      long address = e.error().rowAddress();
      rows.add(
          new GenericInternalRow(
              new Object[] {
                str(table),
                str(e.jobId()),
                str(e.column()),
                address,
                address < 0 ? -1 : (int) (address >>> 32), // -1: no one row (a view's group)
                address < 0 ? -1L : address & 0xFFFFFFFFL,
                str(e.error().inputs()),
                str(e.error().message()),
                e.error().attempts(),
                e.recordedAt() * 1000
              }));
    }
    return rows;
  }

  /**
   * The virtual columns of the table at {@code datasetUri}, their code judged as {@code loader}'s
   * classes (the session's).
   */
  public static List<InternalRow> virtualColumns(
      String datasetUri, Map<String, String> storageOptions, ClassLoader loader) {
    return VirtualColumns.status(datasetUri, storageOptions, loader).stream()
        .<InternalRow>map(
            s -> {
              UdfSpec spec = s.spec();
              String options =
                  new TreeMap<>(spec.options())
                      .entrySet().stream()
                          .map(e -> e.getKey() + "=" + e.getValue())
                          .collect(Collectors.joining(", "));
              return new GenericInternalRow(
                  new Object[] {
                    str(s.name()),
                    str(s.type()),
                    str(spec.className()),
                    str(spec.kind().name().toLowerCase(java.util.Locale.ROOT)),
                    str(String.join(", ", spec.inputs())),
                    str(options),
                    str(s.version()),
                    str(s.code()),
                    s.rowsCurrent(),
                    s.freshness().rows(RowState.INPUT_CHANGED),
                    s.freshness().rows(RowState.VERSION_CHANGED),
                    s.freshness().rows(RowState.FAILED),
                    s.freshness().neverComputed(),
                    s.rows(),
                    s.materialized(),
                    s.siblings().isEmpty() ? null : str(String.join(", ", s.siblings()))
                  });
            })
        .toList();
  }

  private static MapData nodes(BackfillJob j) {
    Object[] keys = j.fragmentsByNode().keySet().stream().sorted().map(MetadataRows::str).toArray();
    Object[] values =
        j.fragmentsByNode().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(Map.Entry::getValue)
            .toArray();
    return new ArrayBasedMapData(new GenericArrayData(keys), new GenericArrayData(values));
  }

  private static UTF8String str(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }
}
