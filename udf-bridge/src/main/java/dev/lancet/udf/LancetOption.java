package dev.lancet.udf;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every option Lancet itself reads, defined once: its name, the type of its value, the check the
 * value must pass, and where it may be given ({@link Scope}). SQL ({@code ADD COLUMN ... OPTIONS},
 * {@code BACKFILL ... OPTIONS}), the Java API, PySpark and {@code @Udf} all parse and check through
 * it, so a value means the same and fails with the same words everywhere.
 *
 * <p>One precedence rule for every option: the run's > the column's registration > the class's
 * {@code @Udf} > the default.
 */
public enum LancetOption {
  /** Rows per UDF batch. */
  BATCH_SIZE("batch_size", Kind.POSITIVE_INT, Scope.BOTH),
  /** CPUs a worker asks for. */
  NUM_CPUS("num_cpus", Kind.NUMBER, Scope.COLUMN),
  /** GPUs a worker asks for. */
  NUM_GPUS("num_gpus", Kind.NUMBER, Scope.COLUMN),
  /** Memory a worker asks for, in bytes (k/m/g suffixes). */
  MEMORY("memory", Kind.BYTES, Scope.COLUMN),
  /** What a row whose UDF call throws gets. */
  ON_ERROR("on_error", Kind.ON_ERROR, Scope.BOTH),
  /** Under on_error = null, the failed-row fraction above which a backfill fails. */
  MAX_ERROR_FRACTION("max_error_fraction", Kind.FRACTION, Scope.BOTH),
  /** Calls in all under on_error = retry. */
  RETRY_ATTEMPTS("retry_attempts", Kind.POSITIVE_INT, Scope.COLUMN),
  /** First wait between retries, milliseconds (doubling). */
  RETRY_BACKOFF_MS("retry_backoff_ms", Kind.MILLIS, Scope.COLUMN),
  /** Exception classes that are retried (comma-separated). */
  RETRY_ON("retry_on", Kind.LIST, Scope.COLUMN),
  /** Text an exception's message must contain to be retried. */
  RETRY_MESSAGE("retry_message", Kind.TEXT, Scope.COLUMN),
  /** What a row gets once its retries are spent. */
  RETRY_THEN("retry_then", Kind.ON_ERROR, Scope.COLUMN),
  /** How long a scalar UDF's call may take, milliseconds. */
  TIMEOUT_MS("timeout_ms", Kind.MILLIS, Scope.COLUMN),
  /** Calls of a scalar or async UDF outstanding at once per worker. */
  MAX_IN_FLIGHT("max_in_flight", Kind.POSITIVE_INT, Scope.COLUMN),
  /** Fragments per commit (default: adapts to the job). */
  COMMIT_GRANULARITY("commit_granularity", Kind.POSITIVE_INT, Scope.RUN),
  /** Longest wait of finished fragments for a commit, seconds. */
  COMMIT_INTERVAL("commit_interval", Kind.POSITIVE_SECONDS, Scope.RUN),
  /** Workers computing at once. */
  CONCURRENCY("concurrency", Kind.POSITIVE_INT, Scope.RUN),
  /** Rows one task computes at most (a larger fragment is cut into row ranges). */
  TASK_SIZE("task_size", Kind.POSITIVE_INT, Scope.RUN),
  /** Whether work is checkpointed. */
  CHECKPOINT("checkpoint", Kind.BOOLEAN, Scope.RUN),
  /** Seconds between checkpoints of a fragment in progress (0: every batch). */
  CHECKPOINT_INTERVAL("checkpoint_interval", Kind.SECONDS, Scope.RUN),
  /** Which engine computes: {@code ray} (default) or {@code spark} (Spark's executors). */
  ENGINE("engine", Kind.ENGINE, Scope.RUN);

  /** Where an option may be given. */
  public enum Scope {
    /** On the column's registration ({@code ADD COLUMN ... OPTIONS}, {@code @Udf}). */
    COLUMN,
    /** On one backfill ({@code BACKFILL ... OPTIONS}, the {@code Backfill} builder). */
    RUN,
    /** Either; the run's wins. */
    BOTH;

    /** Whether an option of this scope may be given where {@code where} is. */
    public boolean allows(Scope where) {
      return this == BOTH || this == where;
    }
  }

  /** What a value must be. */
  private enum Kind {
    POSITIVE_INT("a positive integer"),
    NUMBER("a non-negative number"),
    MILLIS("a non-negative number"),
    BYTES("a byte count such as 536870912, 512m or 2g"),
    ON_ERROR("'fail', 'null' or 'retry'"),
    FRACTION("a number between 0 and 1"),
    TEXT("text"),
    LIST("a comma-separated list"),
    BOOLEAN("true or false"),
    SECONDS("a whole number of seconds (0 or more)"),
    POSITIVE_SECONDS("a whole number of seconds (1 or more)"),
    ENGINE("'ray' or 'spark'");

    private final String expected;

    Kind(String expected) {
      this.expected = expected;
    }
  }

  private final String key;
  private final Kind kind;
  private final Scope scope;

  LancetOption(String key, Kind kind, Scope scope) {
    this.key = key;
    this.kind = kind;
    this.scope = scope;
  }

  /** The name users write. */
  public String key() {
    return key;
  }

  /** Where it may be given. */
  public Scope scope() {
    return scope;
  }

  /** The option named {@code key} (any case), or null. */
  public static LancetOption named(String key) {
    String k = key == null ? "" : key.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(o -> o.key.equals(k)).findFirst().orElse(null);
  }

  /** The names of the options that may be given at {@code where}, sorted. */
  public static List<String> keys(Scope where) {
    return Arrays.stream(values())
        .filter(o -> o.scope.allows(where))
        .map(LancetOption::key)
        .sorted()
        .toList();
  }

  /**
   * The typed value of {@code text}: Integer, Double, Long, {@link OnError}, {@link EngineChoice},
   * String, List of String, Boolean or {@link Duration}, as the option's type is. A bad value fails
   * with {@code LANCET_INVALID_OPTION}, naming the option ({@code where} prefixes it, e.g. {@code
   * "BACKFILL "}), what it must be and what was given.
   */
  public Object parse(String text, String where) {
    String v = text == null ? "" : text.trim();
    try {
      return switch (kind) {
        case POSITIVE_INT -> {
          long n = Long.parseLong(v);
          yield n > 0 && n <= Integer.MAX_VALUE ? (Object) (int) n : bad(text, where);
        }
        case NUMBER -> {
          double d = Double.parseDouble(v);
          yield d >= 0 ? (Object) d : bad(text, where);
        }
        case MILLIS -> {
          double d = Double.parseDouble(v);
          yield d >= 0 ? (Object) (long) d : bad(text, where);
        }
        case FRACTION -> {
          double d = Double.parseDouble(v);
          yield d >= 0 && d <= 1 ? (Object) d : bad(text, where);
        }
        case BYTES -> bytes(v, text, where);
        case ON_ERROR -> onError(v, text, where);
        case ENGINE ->
            switch (v.toLowerCase(Locale.ROOT)) {
              case "ray" -> EngineChoice.RAY;
              case "spark" -> EngineChoice.SPARK;
              default -> bad(text, where);
            };
        case TEXT -> text;
        case LIST ->
            Arrays.stream(v.split(",")).map(String::strip).filter(c -> !c.isEmpty()).toList();
        case BOOLEAN -> {
          String lower = v.toLowerCase(Locale.ROOT);
          yield lower.equals("true") || lower.equals("false")
              ? (Object) Boolean.parseBoolean(lower)
              : bad(text, where);
        }
        case SECONDS, POSITIVE_SECONDS -> {
          int n = Integer.parseInt(v);
          yield n > 0 || (kind == Kind.SECONDS && n == 0)
              ? (Object) Duration.ofSeconds(n)
              : bad(text, where);
        }
      };
    } catch (NumberFormatException | ArithmeticException e) {
      return bad(text, where);
    }
  }

  /** Checks a value given typed (the Java API, {@code @Udf}) as its text would be checked. */
  public void check(Object value, String where) {
    parse(String.valueOf(value), where);
  }

  private Object bytes(String v, String text, String where) {
    String lower = v.toLowerCase(Locale.ROOT);
    long unit = 1;
    if (lower.endsWith("k") || lower.endsWith("m") || lower.endsWith("g")) {
      unit = lower.endsWith("k") ? 1L << 10 : lower.endsWith("m") ? 1L << 20 : 1L << 30;
      lower = lower.substring(0, lower.length() - 1);
    }
    long n = Long.parseLong(lower);
    return n >= 0 ? (Object) Math.multiplyExact(n, unit) : bad(text, where);
  }

  private Object onError(String v, String text, String where) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "fail" -> OnError.FAIL;
      case "null" -> OnError.NULL;
      case "retry" -> OnError.RETRY;
      default -> bad(text, where);
    };
  }

  private Object bad(String text, String where) {
    throw new LancetException(
        ErrorCode.LANCET_INVALID_OPTION,
        "%soption '%s' must be %s, got '%s'",
        where,
        key,
        kind.expected,
        text);
  }
}
