package dev.lancet.udf;

/** How a UDF receives its input; decided by its {@code call} method's signature. */
public enum UdfKind {
  /** One row at a time: parameters are column values ({@code long call(int x, int y)}). */
  SCALAR,
  /**
   * One batch at a time: parameters are Arrow vectors, the result is a vector of the batch's
   * length.
   */
  BATCHED,
  /** One batch at a time as a whole {@code VectorSchemaRoot}; the result is a vector. */
  RECORD_BATCH,
  /**
   * One row at a time, answered later: {@code CompletionStage<T> call(...)} (or a {@code
   * CompletableFuture}); up to {@code max_in_flight} calls are outstanding per worker.
   */
  ASYNC
}
