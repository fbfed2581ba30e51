package dev.lancet.udf;

import dev.lancet.udf.types.TypeStrings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a user registers a UDF as a column: each field overrides the class's {@link Udf} setting when
 * not null.
 *
 * @param inputs input columns in parameter order
 * @param declaredType output type string
 * @param options options for the UDF's {@code Map<String, String>} constructor
 * @param batchSize rows per batch
 * @param numCpus CPUs per worker
 * @param numGpus GPUs per worker
 * @param memoryBytes memory per worker
 * @param onError {@code fail}, {@code null} or {@code retry}
 * @param maxErrorFraction failed-row fraction above which a backfill fails
 * @param retry how calls are retried under {@code on_error = 'retry'}
 * @param timeoutMillis how long a scalar UDF's call may take
 * @param maxInFlight calls of a scalar or async UDF outstanding at once per worker
 */
public record UdfRegistration(
    List<String> inputs,
    String declaredType,
    Map<String, String> options,
    Integer batchSize,
    Double numCpus,
    Double numGpus,
    Long memoryBytes,
    String onError,
    Double maxErrorFraction,
    RetryPolicy retry,
    Long timeoutMillis,
    Integer maxInFlight) {

  /** Option keys that configure Lancet rather than the UDF. */
  public static final Set<String> RESERVED =
      Set.of(
          "batch_size",
          "num_cpus",
          "num_gpus",
          "memory",
          "on_error",
          "max_error_fraction",
          "retry_attempts",
          "retry_backoff_ms",
          "retry_on",
          "retry_message",
          "retry_then",
          "timeout_ms",
          "max_in_flight");

  /** Nothing overridden. */
  public static final UdfRegistration DEFAULT =
      new UdfRegistration(
          null, null, Map.of(), null, null, null, null, null, null, null, null, null);

  /**
   * Reads {@code inputs} (null: from the UDF's parameters) with the given UDF options, nothing else
   * overridden.
   */
  public static UdfRegistration of(List<String> inputs, Map<String, String> udfOptions) {
    return new UdfRegistration(
        inputs, null, udfOptions, null, null, null, null, null, null, null, null, null);
  }

  public UdfRegistration {
    inputs = inputs == null ? null : List.copyOf(inputs);
    options = Map.copyOf(options == null ? Map.of() : options);
  }

  /**
   * A registration from SQL-style options: the {@link #RESERVED} keys configure Lancet, every other
   * key goes to the UDF.
   */
  public static UdfRegistration of(
      List<String> inputs, String declaredType, Map<String, String> options) {
    Map<String, String> udfOptions = new LinkedHashMap<>();
    Integer batchSize = null;
    Double cpus = null;
    Double gpus = null;
    Long memory = null;
    String onError = null;
    Double fraction = null;
    Integer attempts = null;
    Long backoff = null;
    List<String> retryOn = List.of();
    String retryMessage = null;
    OnError then = null;
    Long timeout = null;
    Integer inFlight = null;
    for (Map.Entry<String, String> e : options.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      String value = e.getValue();
      switch (key) {
        case "batch_size" -> batchSize = (int) positive(key, value);
        case "num_cpus" -> cpus = number(key, value);
        case "num_gpus" -> gpus = number(key, value);
        case "memory" -> memory = bytes(value);
        case "on_error" -> {
          ErrorPolicy.parseOnError(value);
          onError = value.trim().toLowerCase(Locale.ROOT);
        }
        case "max_error_fraction" -> fraction = number(key, value);
        case "retry_attempts" -> attempts = (int) positive(key, value);
        case "retry_backoff_ms" -> backoff = (long) number(key, value);
        case "retry_on" ->
            retryOn =
                java.util.Arrays.stream(value.split(","))
                    .map(String::strip)
                    .filter(c -> !c.isEmpty())
                    .toList();
        case "retry_message" -> retryMessage = value;
        case "retry_then" -> then = OnError.parse(value);
        case "timeout_ms" -> timeout = (long) number(key, value);
        case "max_in_flight" -> inFlight = (int) positive(key, value);
        default -> udfOptions.put(e.getKey(), value);
      }
    }
    if (declaredType != null) {
      declaredType = TypeStrings.canonical(declaredType);
    }
    RetryPolicy retry =
        attempts == null
                && backoff == null
                && retryOn.isEmpty()
                && retryMessage == null
                && then == null
            ? null
            : new RetryPolicy(
                attempts != null ? attempts : RetryPolicy.DEFAULT.attempts(),
                backoff != null ? backoff : RetryPolicy.DEFAULT.backoffMillis(),
                retryOn,
                retryMessage,
                then);
    return new UdfRegistration(
        inputs,
        declaredType,
        udfOptions,
        batchSize,
        cpus,
        gpus,
        memory,
        onError,
        fraction,
        retry,
        timeout,
        inFlight);
  }

  /** The same registration with other UDF options. */
  public UdfRegistration withOptions(Map<String, String> udfOptions) {
    return new UdfRegistration(
        inputs,
        declaredType,
        udfOptions,
        batchSize,
        numCpus,
        numGpus,
        memoryBytes,
        onError,
        maxErrorFraction,
        retry,
        timeoutMillis,
        maxInFlight);
  }

  private static double number(String key, String value) {
    try {
      double d = Double.parseDouble(value.trim());
      if (d < 0 || Double.isNaN(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new UdfException(
          ErrorCode.LANCET_INVALID_OPTION,
          "option '" + key + "' must be a non-negative number, got '" + value + "'");
    }
  }

  private static long positive(String key, String value) {
    try {
      long v = Long.parseLong(value.trim());
      if (v <= 0 || v > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UdfException(
          ErrorCode.LANCET_INVALID_OPTION,
          "option '" + key + "' must be a positive integer, got '" + value + "'");
    }
  }

  /** Bytes, with an optional k/m/g suffix (powers of 1024). */
  static long bytes(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
      unit = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : 1L << 30;
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new UdfException(
          ErrorCode.LANCET_INVALID_OPTION,
          "option 'memory' must be a byte count such as 536870912, 512m or 2g, got '"
              + value
              + "'");
    }
  }
}
