package dev.lancet.spark.read;

import java.io.Serializable;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.internal.connector.SupportsMetadata;
import org.apache.spark.sql.types.StructType;
import org.lance.spark.read.LanceScan;

/**
 * lance-spark's scan of a Lance table, read through {@link KeptBatchReaderFactory}: everything else
 * (partitions, statistics, the plan's metadata) is lance-spark's own.
 */
final class LancetScan
    implements Scan, Batch, SupportsReportStatistics, SupportsMetadata, Serializable {
  private static final long serialVersionUID = 1L;

  private final LanceScan inner;
  private final java.util.Set<String> virtualStructs;

  LancetScan(LanceScan inner, java.util.Set<String> virtualStructs) {
    this.inner = inner;
    this.virtualStructs = virtualStructs;
  }

  @Override
  public StructType readSchema() {
    return inner.readSchema();
  }

  @Override
  public String description() {
    return inner.description();
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public ColumnarSupportMode columnarSupportMode() {
    return inner.columnarSupportMode();
  }

  @Override
  public CustomMetric[] supportedCustomMetrics() {
    return inner.supportedCustomMetrics();
  }

  @Override
  public CustomTaskMetric[] reportDriverMetrics() {
    return inner.reportDriverMetrics();
  }

  @Override
  public InputPartition[] planInputPartitions() {
    return inner.planInputPartitions();
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    String[] names = readSchema().fieldNames();
    boolean[] nullWhenFieldsNull = new boolean[names.length];
    for (int i = 0; i < names.length; i++) {
      nullWhenFieldsNull[i] = virtualStructs.contains(names[i]);
    }
    return new KeptBatchReaderFactory(inner.createReaderFactory(), nullWhenFieldsNull);
  }

  @Override
  public Statistics estimateStatistics() {
    return inner.estimateStatistics();
  }

  @Override
  public scala.collection.immutable.Map<String, String> getMetaData() {
    return inner.getMetaData();
  }
}
