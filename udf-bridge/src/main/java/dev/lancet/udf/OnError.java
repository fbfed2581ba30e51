package dev.lancet.udf;

import java.util.Locale;

/** What a row gets when its UDF call throws. */
public enum OnError {
  /** The backfill fails, naming the row and its inputs. */
  FAIL,
  /** The row gets null; it is counted, recorded, and computed again by the next backfill. */
  NULL,
  /** The call is tried again (see {@link RetryPolicy}), then the policy's {@code then} applies. */
  RETRY;

  /** Parses {@code fail}, {@code null} or {@code retry}. */
  public static OnError parse(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "fail" -> FAIL;
      case "null" -> NULL;
      case "retry" -> RETRY;
      default ->
          throw new UdfException(
              ErrorCode.LANCET_INVALID_OPTION,
              "on_error must be 'fail', 'null' or 'retry', got '" + value + "'");
    };
  }

  /** The lower-case name. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
