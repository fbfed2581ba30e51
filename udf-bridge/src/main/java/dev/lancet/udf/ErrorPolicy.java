package dev.lancet.udf;

import java.util.Locale;

/**
 * What happens when a UDF throws on a row.
 *
 * @param nullOnError false: the backfill fails naming the row; true: the row gets null and the
 *     error is recorded
 * @param maxErrorFraction with {@code nullOnError}, the backfill still fails when more than this
 *     fraction of computed rows failed
 */
public record ErrorPolicy(boolean nullOnError, double maxErrorFraction) {
  /** Fail on the first error. */
  public static final ErrorPolicy FAIL = new ErrorPolicy(false, 0);

  public ErrorPolicy {
    if (maxErrorFraction < 0 || maxErrorFraction > 1) {
      throw new UdfException("max_error_fraction must be between 0 and 1, got " + maxErrorFraction);
    }
  }

  /** Parses {@code fail} or {@code null}. */
  public static boolean parseOnError(String onError) {
    return switch (onError.trim().toLowerCase(Locale.ROOT)) {
      case "fail" -> false;
      case "null" -> true;
      default -> throw new UdfException("on_error must be 'fail' or 'null', got '" + onError + "'");
    };
  }
}
