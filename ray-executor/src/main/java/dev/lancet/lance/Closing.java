package dev.lancet.lance;

import java.util.Arrays;
import java.util.List;
import org.apache.arrow.util.AutoCloseables;

/**
 * Closes every resource of a set even when some fail, and reports every failure: the first thrown,
 * the others suppressed in it (Arrow's {@code AutoCloseables}, unchecked).
 */
public final class Closing {
  private Closing() {}

  /** Closes each in order (nulls skipped). */
  public static void all(List<? extends AutoCloseable> resources) {
    try {
      AutoCloseables.close(resources);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing failed: " + e.getMessage(), e);
    }
  }

  public static void all(AutoCloseable... resources) {
    all(Arrays.asList(resources));
  }
}
