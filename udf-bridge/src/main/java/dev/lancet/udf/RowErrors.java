package dev.lancet.udf;

/** Collects rows whose UDF call failed, under the {@code on_error = null} policy. */
@FunctionalInterface
public interface RowErrors {
  /**
   * Records a failed row; the row's output is null.
   *
   * @param rowInBatch index of the row in the batch
   * @param inputValues the row's inputs as {@code name=value, ...} (empty for a whole batch)
   * @param error what the UDF threw (the last time)
   * @param attempts how many times it was called
   */
  void add(int rowInBatch, String inputValues, Throwable error, int attempts);
}
