package dev.lancet.spark.write;

import dev.lancet.spark.read.LancetScanBuilder;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.write.DeltaWriteBuilder;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.SupportsDelta;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * lance-spark's UPDATE, DELETE and MERGE of a Lance table, whose scan of the rows to change is read
 * as every other scan of a Lancet table ({@link LancetScanBuilder}); the write is lance-spark's.
 */
public final class LancetDeltaOperation implements SupportsDelta {
  private final SupportsDelta inner;
  private final StructType tableSchema;

  public LancetDeltaOperation(SupportsDelta inner, StructType tableSchema) {
    this.inner = inner;
    this.tableSchema = tableSchema;
  }

  @Override
  public String description() {
    return inner.description();
  }

  @Override
  public Command command() {
    return inner.command();
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return LancetScanBuilder.around(inner.newScanBuilder(options), tableSchema);
  }

  @Override
  public DeltaWriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    return inner.newWriteBuilder(info);
  }

  @Override
  public NamedReference[] requiredMetadataAttributes() {
    return inner.requiredMetadataAttributes();
  }

  @Override
  public NamedReference[] rowId() {
    return inner.rowId();
  }

  @Override
  public boolean representUpdateAsDeleteAndInsert() {
    return inner.representUpdateAsDeleteAndInsert();
  }
}
