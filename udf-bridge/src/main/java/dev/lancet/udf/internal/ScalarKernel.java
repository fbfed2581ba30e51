package dev.lancet.udf.internal;

import org.apache.arrow.vector.ValueVector;

/** The row loop of a scalar UDF: reads inputs, calls the UDF, writes the output. */
public interface ScalarKernel {
  /**
   * Computes rows {@code [0, rows)}. {@code out} is allocated for {@code rows} values.
   *
   * @param context the UDF instance and its error handling
   */
  void run(KernelContext context, ValueVector[] in, ValueVector out, int rows);
}
