package dev.lancet.spark.read;

import dev.lancet.udf.UdfSpec;
import org.apache.spark.sql.connector.expressions.SortOrder;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownAggregates;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownLimit;
import org.apache.spark.sql.connector.read.SupportsPushDownOffset;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.connector.read.SupportsPushDownTopN;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lance.spark.read.LanceScan;
import org.lance.spark.read.LanceScanBuilder;

/**
 * How a Lancet table is read: lance-spark's scan builder, with every push-down it offers, whose
 * scan reads batches through {@link KeptBatchReaderFactory} (lance-spark 0.4.0 lets Spark close its
 * vectors between batches; struct columns then fail past the first batch).
 */
public final class LancetScanBuilder
    implements ScanBuilder,
        SupportsPushDownRequiredColumns,
        SupportsPushDownFilters,
        SupportsPushDownLimit,
        SupportsPushDownOffset,
        SupportsPushDownTopN,
        SupportsPushDownAggregates {
  private final LanceScanBuilder inner;
  private final StructType tableSchema;

  /**
   * @param inner lance-spark's builder
   * @param tableSchema the table's whole schema, to widen pruned structs (see {@link
   *     #pruneColumns})
   */
  private LancetScanBuilder(LanceScanBuilder inner, StructType tableSchema) {
    this.inner = inner;
    this.tableSchema = tableSchema;
  }

  /** {@code builder} read as a Lancet table is read, when it is lance-spark's; else as it is. */
  public static ScanBuilder around(ScanBuilder builder, StructType tableSchema) {
    return builder instanceof LanceScanBuilder lance
        ? new LancetScanBuilder(lance, tableSchema)
        : builder;
  }

  @Override
  public Scan build() {
    Scan scan = inner.build();
    return scan instanceof LanceScan lance ? new LancetScan(lance, virtualStructs()) : scan;
  }

  /** The table's virtual columns of struct type. */
  private java.util.Set<String> virtualStructs() {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (StructField f : tableSchema.fields()) {
      if (f.dataType() instanceof StructType && f.metadata().contains(UdfSpec.METADATA_KEY)) {
        names.add(f.name());
      }
    }
    return names;
  }

  /**
   * Prunes top-level columns only. lance-spark 0.4.0 reads a struct whole (it projects top-level
   * names) but would describe it with the fields Spark asked for, so {@code s.b} of {@code
   * struct<a, b>} read child 0, {@code a}; a required struct is therefore widened back to the
   * table's field.
   */
  @Override
  public void pruneColumns(StructType requiredSchema) {
    StructField[] fields = requiredSchema.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      String name = fields[i].name();
      if (fields[i].dataType() instanceof StructType
          && java.util.Arrays.asList(tableSchema.fieldNames()).contains(name)) {
        fields[i] = tableSchema.apply(name);
      }
    }
    inner.pruneColumns(new StructType(fields));
  }

  @Override
  public Filter[] pushFilters(Filter[] filters) {
    return inner.pushFilters(filters);
  }

  @Override
  public Filter[] pushedFilters() {
    return inner.pushedFilters();
  }

  @Override
  public boolean pushLimit(int limit) {
    return inner.pushLimit(limit);
  }

  @Override
  public boolean pushOffset(int offset) {
    return inner.pushOffset(offset);
  }

  @Override
  public boolean pushTopN(SortOrder[] orders, int limit) {
    return inner.pushTopN(orders, limit);
  }

  @Override
  public boolean isPartiallyPushed() {
    return inner.isPartiallyPushed();
  }

  @Override
  public boolean pushAggregation(Aggregation aggregation) {
    return inner.pushAggregation(aggregation);
  }

  @Override
  public boolean supportCompletePushDown(Aggregation aggregation) {
    return inner.supportCompletePushDown(aggregation);
  }
}
