package dev.lancet.udf;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A UDF ready to run over Arrow batches: one instance per worker, reused for every batch.
 * Obtain one with {@link ColumnUdfs#instantiate}.
 */
public interface ColumnUdf extends AutoCloseable {
  /** The definition this instance runs. */
  UdfSpec spec();

  /**
   * Computes the column for every row of {@code input}. The input must hold the spec's input
   * columns by name. The returned vector has {@code input.getRowCount()} values, is named
   * {@code outputName}, is allocated from {@code allocator} and belongs to the caller.
   *
   * @throws UdfRowException if the UDF throws on a row
   * @throws UdfException if an input column is missing or has an incompatible type
   */
  FieldVector compute(VectorSchemaRoot input, String outputName, BufferAllocator allocator);

  @Override
  void close();
}
