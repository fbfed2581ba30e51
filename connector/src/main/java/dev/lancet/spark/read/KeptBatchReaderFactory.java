package dev.lancet.spark.read;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * lance-spark's reader factory whose columnar readers hand out batches of {@link
 * KeptColumnVector}s, so Spark cannot close the reader's vectors between batches.
 */
final class KeptBatchReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final PartitionReaderFactory inner;
  private final boolean[] nullWhenFieldsNull;

  /**
   * @param inner lance-spark's factory
   * @param nullWhenFieldsNull per column read, whether it is a virtual struct column (see {@link
   *     KeptColumnVector})
   */
  KeptBatchReaderFactory(PartitionReaderFactory inner, boolean[] nullWhenFieldsNull) {
    this.inner = inner;
    this.nullWhenFieldsNull = nullWhenFieldsNull;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    return inner.createReader(partition);
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    return new KeptBatchReader(inner.createColumnarReader(partition), nullWhenFieldsNull);
  }

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    return inner.supportColumnarReads(partition);
  }

  /** Wraps each batch's columns; the wrappers are reused while the reader's vectors are. */
  private static final class KeptBatchReader implements PartitionReader<ColumnarBatch> {
    private final PartitionReader<ColumnarBatch> inner;
    private final boolean[] nullWhenFieldsNull;
    private KeptColumnVector[] columns = new KeptColumnVector[0];

    KeptBatchReader(PartitionReader<ColumnarBatch> inner, boolean[] nullWhenFieldsNull) {
      this.inner = inner;
      this.nullWhenFieldsNull = nullWhenFieldsNull;
    }

    @Override
    public boolean next() throws java.io.IOException {
      return inner.next();
    }

    @Override
    public ColumnarBatch get() {
      ColumnarBatch batch = inner.get();
      if (columns.length != batch.numCols()) {
        columns = new KeptColumnVector[batch.numCols()];
      }
      ColumnVector[] wrapped = new ColumnVector[batch.numCols()];
      for (int i = 0; i < wrapped.length; i++) {
        ColumnVector c = batch.column(i);
        if (columns[i] == null || columns[i].inner() != c) {
          columns[i] =
              new KeptColumnVector(c, i < nullWhenFieldsNull.length && nullWhenFieldsNull[i]);
        }
        columns[i].rows(batch.numRows());
        wrapped[i] = columns[i];
      }
      return new ColumnarBatch(wrapped, batch.numRows());
    }

    @Override
    public void close() throws java.io.IOException {
      inner.close();
    }
  }
}
