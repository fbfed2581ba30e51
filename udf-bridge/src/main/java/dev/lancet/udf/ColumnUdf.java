package dev.lancet.udf;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A UDF ready to run over Arrow batches: one instance per worker, set up once, reused for every
 * batch, closed after the last. Obtain one with {@link ColumnUdfs#instantiate}.
 */
public interface ColumnUdf extends AutoCloseable {
  /** The definition this instance runs. */
  UdfSpec spec();

  /**
   * Computes the column for every row of {@code input}, which holds the spec's input columns by
   * name. The result has {@code input.getRowCount()} values of the spec's output type, is allocated
   * from {@code allocator} and belongs to the caller.
   *
   * @param errors where failed rows go under {@code on_error = null}; null to fail instead
   * @throws UdfRowException if the UDF throws and {@code errors} is null
   * @throws UdfException if an input is missing or incompatible, or a batched UDF returns a vector
   *     of the wrong length or type, or nulls for a non-null column
   */
  FieldVector compute(
      VectorSchemaRoot input, String outputName, BufferAllocator allocator, RowErrors errors);

  /**
   * {@link #compute(VectorSchemaRoot, String, BufferAllocator, RowErrors)} failing on the first
   * error.
   */
  default FieldVector compute(
      VectorSchemaRoot input, String outputName, BufferAllocator allocator) {
    return compute(input, outputName, allocator, null);
  }

  @Override
  void close();
}
