package dev.lancet.udf;

/**
 * What happens when a UDF throws on a row.
 *
 * @param onError what the row gets: the backfill fails, the row is null, or the call is retried
 * @param maxErrorFraction when failed rows are null, the backfill still fails when more than this
 *     fraction of computed rows failed
 * @param retry how calls are retried under {@link OnError#RETRY}
 * @param timeoutMillis a scalar UDF's call that takes longer fails with a timeout (0: no limit)
 */
public record ErrorPolicy(
    OnError onError, double maxErrorFraction, RetryPolicy retry, long timeoutMillis) {
  /** Fail on the first error. */
  public static final ErrorPolicy FAIL = new ErrorPolicy(OnError.FAIL, 0, null, 0);

  public ErrorPolicy {
    onError = onError == null ? OnError.FAIL : onError;
    retry = retry == null ? RetryPolicy.DEFAULT : retry;
    if (maxErrorFraction < 0 || maxErrorFraction > 1) {
      throw new UdfException(
          ErrorCode.LANCET_INVALID_OPTION,
          "max_error_fraction must be between 0 and 1, got " + maxErrorFraction);
    }
    if (timeoutMillis < 0) {
      throw new UdfException(
          ErrorCode.LANCET_INVALID_OPTION, "timeout_ms must not be negative, got " + timeoutMillis);
    }
  }

  /** Whether a row that failed for good gets null (rather than failing the backfill). */
  public boolean nullOnError() {
    return onError == OnError.NULL || (onError == OnError.RETRY && retry.then() == OnError.NULL);
  }

  /** Whether failed calls are tried again. */
  public boolean retries() {
    return onError == OnError.RETRY && retry.attempts() > 1;
  }

  /** The same policy with another {@code on_error}. */
  public ErrorPolicy withOnError(OnError newOnError) {
    return new ErrorPolicy(newOnError, maxErrorFraction, retry, timeoutMillis);
  }

  /** The same policy with another {@code max_error_fraction}. */
  public ErrorPolicy withMaxErrorFraction(double fraction) {
    return new ErrorPolicy(onError, fraction, retry, timeoutMillis);
  }

  /** Parses {@code fail}, {@code null} or {@code retry}. */
  public static OnError parseOnError(String onError) {
    return OnError.parse(onError);
  }
}
