package dev.lancet.udf;

import dev.lancet.udf.types.TypeStrings;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a user registers a UDF as a column: its inputs, type, the UDF's own options, and Lancet's
 * column-scope options ({@link LancetOption}), each overriding the class's {@link Udf} setting when
 * given.
 *
 * @param inputs input columns in parameter order, or null for the UDF's parameters
 * @param declaredType output type string, or null for the UDF's
 * @param options options for the UDF's {@code Map<String, String>} constructor
 * @param settings Lancet's options given, typed as {@link LancetOption#parse} returns them
 */
public record UdfRegistration(
    List<String> inputs,
    String declaredType,
    Map<String, String> options,
    Map<LancetOption, Object> settings) {

  /** Option keys that configure Lancet rather than the UDF, on a column. */
  public static final Set<String> RESERVED =
      Set.copyOf(LancetOption.keys(LancetOption.Scope.COLUMN));

  /** Nothing overridden. */
  public static final UdfRegistration DEFAULT = new UdfRegistration(null, null, Map.of(), Map.of());

  public UdfRegistration {
    inputs = inputs == null ? null : List.copyOf(inputs);
    options = Map.copyOf(options == null ? Map.of() : options);
    EnumMap<LancetOption, Object> copy = new EnumMap<>(LancetOption.class);
    if (settings != null) {
      copy.putAll(settings);
    }
    settings = Collections.unmodifiableMap(copy);
  }

  /**
   * Reads {@code inputs} (null: from the UDF's parameters) with the given UDF options, nothing else
   * overridden.
   */
  public static UdfRegistration of(List<String> inputs, Map<String, String> udfOptions) {
    return new UdfRegistration(inputs, null, udfOptions, Map.of());
  }

  /**
   * A registration from SQL-style options: the {@link #RESERVED} keys configure Lancet (parsed and
   * checked once here), every other key goes to the UDF.
   */
  public static UdfRegistration of(
      List<String> inputs, String declaredType, Map<String, String> options) {
    Map<String, String> udfOptions = new LinkedHashMap<>();
    Map<LancetOption, Object> lancet = new EnumMap<>(LancetOption.class);
    for (Map.Entry<String, String> e : options.entrySet()) {
      LancetOption option = LancetOption.named(e.getKey());
      if (option != null && option.scope().allows(LancetOption.Scope.COLUMN)) {
        lancet.put(option, option.parse(e.getValue(), ""));
      } else {
        udfOptions.put(e.getKey(), e.getValue());
      }
    }
    UdfRegistration registration =
        new UdfRegistration(
            inputs,
            declaredType == null ? null : TypeStrings.canonical(declaredType),
            udfOptions,
            lancet);
    registration.retry(); // the retry_* options are checked together, now
    return registration;
  }

  /** The same registration with other UDF options. */
  public UdfRegistration withOptions(Map<String, String> udfOptions) {
    return new UdfRegistration(inputs, declaredType, udfOptions, settings);
  }

  /** Rows per batch, or null. */
  public Integer batchSize() {
    return (Integer) settings.get(LancetOption.BATCH_SIZE);
  }

  /** CPUs per worker, or null. */
  public Double numCpus() {
    return (Double) settings.get(LancetOption.NUM_CPUS);
  }

  /** GPUs per worker, or null. */
  public Double numGpus() {
    return (Double) settings.get(LancetOption.NUM_GPUS);
  }

  /** Memory per worker in bytes, or null. */
  public Long memoryBytes() {
    return (Long) settings.get(LancetOption.MEMORY);
  }

  /** What a row whose call throws gets, or null. */
  public OnError onError() {
    return (OnError) settings.get(LancetOption.ON_ERROR);
  }

  /** Failed-row fraction above which a backfill fails, or null. */
  public Double maxErrorFraction() {
    return (Double) settings.get(LancetOption.MAX_ERROR_FRACTION);
  }

  /** How long a scalar UDF's call may take, or null. */
  public Long timeoutMillis() {
    return (Long) settings.get(LancetOption.TIMEOUT_MS);
  }

  /** Calls of a scalar or async UDF outstanding at once per worker, or null. */
  public Integer maxInFlight() {
    return (Integer) settings.get(LancetOption.MAX_IN_FLIGHT);
  }

  /** How calls are retried under {@code on_error = 'retry'}, or null when no retry_* was given. */
  @SuppressWarnings("unchecked")
  public RetryPolicy retry() {
    Integer attempts = (Integer) settings.get(LancetOption.RETRY_ATTEMPTS);
    Long backoff = (Long) settings.get(LancetOption.RETRY_BACKOFF_MS);
    List<String> retryOn = (List<String>) settings.getOrDefault(LancetOption.RETRY_ON, List.of());
    String message = (String) settings.get(LancetOption.RETRY_MESSAGE);
    OnError then = (OnError) settings.get(LancetOption.RETRY_THEN);
    if (attempts == null
        && backoff == null
        && retryOn.isEmpty()
        && message == null
        && then == null) {
      return null;
    }
    return new RetryPolicy(
        attempts != null ? attempts : RetryPolicy.DEFAULT.attempts(),
        backoff != null ? backoff : RetryPolicy.DEFAULT.backoffMillis(),
        retryOn,
        message,
        then);
  }
}
