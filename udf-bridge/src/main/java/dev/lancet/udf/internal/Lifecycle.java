package dev.lancet.udf.internal;

import dev.lancet.udf.UdfException;

/** Ends a UDF instance's life: its {@code close()} runs once, after its last batch. */
final class Lifecycle {
  private Lifecycle() {}

  static void close(Object instance, String udfClass) {
    if (instance instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new UdfException("UDF " + udfClass + ": close() failed: " + e, e);
      }
    }
  }
}
