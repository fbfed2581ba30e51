package dev.lancet.udf;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a failing UDF call is tried again under {@code on_error = 'retry'}: up to {@code attempts}
 * calls in all, waiting {@code backoffMillis}, twice that, four times, ... between them, each wait
 * jittered (between half and all of it), when what it threw (or a cause) is of one of {@code
 * exceptions} (class names, superclasses count) or its message matches {@code messagePattern}; with
 * neither given, every exception is retried. When the attempts are spent, {@code then} applies
 * ({@link OnError#FAIL} or {@link OnError#NULL}).
 *
 * @param attempts calls in all, at least 1
 * @param backoffMillis the first wait
 * @param exceptions fully qualified class names of the exceptions to retry
 * @param messagePattern a regular expression found in the message of the exceptions to retry, or
 *     null
 * @param then what the row gets once the attempts are spent
 */
public record RetryPolicy(
    int attempts,
    long backoffMillis,
    List<String> exceptions,
    String messagePattern,
    OnError then) {
  /** Three calls, 100 ms then 200 ms apart, for any exception, then fail. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(3, 100, List.of(), null, OnError.FAIL);

  public RetryPolicy {
    if (attempts < 1) {
      throw new UdfException(
          ErrorCode.LANCET_INVALID_OPTION, "retry_attempts must be at least 1, got " + attempts);
    }
    if (backoffMillis < 0) {
      throw new UdfException(
          ErrorCode.LANCET_INVALID_OPTION,
          "retry_backoff_ms must not be negative, got " + backoffMillis);
    }
    exceptions = exceptions == null ? List.of() : List.copyOf(exceptions);
    then = then == null ? OnError.FAIL : then;
    if (then == OnError.RETRY) {
      throw new UdfException(
          ErrorCode.LANCET_INVALID_OPTION, "retry_then must be 'fail' or 'null'");
    }
    if (messagePattern != null) {
      try {
        Pattern.compile(messagePattern);
      } catch (PatternSyntaxException e) {
        throw new UdfException(
            ErrorCode.LANCET_INVALID_OPTION,
            "retry_message is not a regular expression: " + e.getDescription());
      }
    }
  }

  /** Whether {@code error} is one to try again after {@code attempt} calls. */
  public boolean retries(Throwable error, int attempt) {
    if (attempt >= attempts) {
      return false;
    }
    if (exceptions.isEmpty() && messagePattern == null) {
      return true;
    }
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
        if (exceptions.contains(c.getName()) || exceptions.contains(c.getSimpleName())) {
          return true;
        }
      }
      if (messagePattern != null
          && t.getMessage() != null
          && Pattern.compile(messagePattern).matcher(t.getMessage()).find()) {
        return true;
      }
    }
    return false;
  }

  /** The jittered wait before call {@code attempt + 1}, in milliseconds. */
  public long waitMillis(int attempt) {
    long base = backoffMillis << Math.min(attempt - 1, 20);
    return base / 2 + (base > 1 ? ThreadLocalRandom.current().nextLong(base - base / 2) : 0);
  }

  /** Waits before call {@code attempt + 1}; false if interrupted (stop retrying). */
  public boolean backoff(int attempt) {
    try {
      Thread.sleep(waitMillis(attempt));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
