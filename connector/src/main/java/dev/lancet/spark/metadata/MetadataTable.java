package dev.lancet.spark.metadata;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A Lance table's metadata table, as Iceberg's {@code t.snapshots}: {@code t.backfill_jobs}, {@code
 * t.backfill_errors} and {@code t.virtual_columns} are read-only tables of the rows the SHOW
 * statements return, so plain SQL (filters, joins, aggregates) works on them in every client. The
 * rows are read when a query is planned, so each query sees the table as it is then.
 */
public final class MetadataTable implements SupportsRead {
  /** The metadata tables of a Lance table. */
  public enum Kind {
    BACKFILL_JOBS(MetadataRows.JOBS),
    BACKFILL_ERRORS(MetadataRows.ERRORS),
    VIRTUAL_COLUMNS(MetadataRows.VIRTUAL_COLUMNS);

    private final StructType schema;

    Kind(StructType schema) {
      this.schema = schema;
    }

    /** Its name after the table's: {@code backfill_jobs}, ... */
    public String tableName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a name after a table's names, if any. */
    public static Optional<Kind> named(String name) {
      for (Kind k : values()) {
        if (k.tableName().equalsIgnoreCase(name)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  private final String name;
  private final Kind kind;
  private final Supplier<List<InternalRow>> rows;

  /**
   * @param table the Lance table's name as users write it
   * @param datasetUri its dataset
   * @param storageOptions its storage options
   * @param loader the session's UDF classes (the code a virtual column would run)
   */
  public static MetadataTable of(
      Kind kind,
      String table,
      String datasetUri,
      Map<String, String> storageOptions,
      ClassLoader loader) {
    Supplier<List<InternalRow>> rows =
        switch (kind) {
          case BACKFILL_JOBS -> () -> MetadataRows.jobs(table, datasetUri, storageOptions);
          case BACKFILL_ERRORS ->
              () -> MetadataRows.errors(table, datasetUri, storageOptions, null);
          case VIRTUAL_COLUMNS ->
              () -> MetadataRows.virtualColumns(datasetUri, storageOptions, loader);
        };
    return new MetadataTable(table + "." + kind.tableName(), kind, rows);
  }

  private MetadataTable(String name, Kind kind, Supplier<List<InternalRow>> rows) {
    this.name = name;
    this.kind = kind;
    this.rows = rows;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public StructType schema() {
    return kind.schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return EnumSet.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new RowsScan(kind.schema, rows);
  }

  /** One scan of the rows: a single partition that carries them (they are few). */
  private record RowsScan(StructType schema, Supplier<List<InternalRow>> rows)
      implements ScanBuilder, Scan, Batch {
    @Override
    public Scan build() {
      return this;
    }

    @Override
    public StructType readSchema() {
      return schema;
    }

    @Override
    public Batch toBatch() {
      return this;
    }

    @Override
    public InputPartition[] planInputPartitions() {
      return new InputPartition[] {new RowsPartition(List.copyOf(rows.get()))};
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
      return new RowsReaderFactory();
    }
  }

  /** The rows, read on the driver when the query is planned. */
  private record RowsPartition(List<InternalRow> rows) implements InputPartition, Serializable {}

  /** Reads a partition's rows. */
  private static final class RowsReaderFactory implements PartitionReaderFactory {
    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
      List<InternalRow> rows = ((RowsPartition) partition).rows();
      return new PartitionReader<>() {
        private int next = -1;

        @Override
        public boolean next() {
          return ++next < rows.size();
        }

        @Override
        public InternalRow get() {
          return rows.get(next);
        }

        @Override
        public void close() {}
      };
    }
  }
}
