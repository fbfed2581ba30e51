package dev.lancet.backfill.internal;

import java.util.Arrays;
import java.util.List;
import org.apache.arrow.util.AutoCloseables;

/**
 * Closes every resource of a set even when some fail, and reports every failure: the first thrown,
 * the others suppressed in it (Arrow's {@code AutoCloseables}, unchecked).
 */
final class Closing {
  private Closing() {}

  /** Closes each in order (nulls skipped). */
  static void all(List<? extends AutoCloseable> resources) {
    try {
      AutoCloseables.close(resources);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing failed: " + e.getMessage(), e);
    }
  }

  static void all(AutoCloseable... resources) {
    all(Arrays.asList(resources));
  }
}
