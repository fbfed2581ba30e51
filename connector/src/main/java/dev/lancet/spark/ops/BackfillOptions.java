package dev.lancet.spark.ops;

import dev.lancet.backfill.Backfill;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of one BACKFILL run, as {@code OPTIONS (...)} in SQL, keyword arguments in PySpark
 * and a map in the Java API give them: parsed and checked once, here, then applied to the {@link
 * Backfill}. Unset options keep the backfill's defaults.
 *
 * @param values the options given, each parsed to its type
 */
public record BackfillOptions(Map<Option, Object> values) {
  /** Every option: its name and what its value must be. */
  public enum Option {
    /** Rows per UDF batch. */
    BATCH_SIZE("batch_size", Kind.POSITIVE_INT),
    /** Fragments per commit (default: adapts to the job). */
    COMMIT_GRANULARITY("commit_granularity", Kind.POSITIVE_INT),
    /** Longest wait of finished fragments for a commit, seconds. */
    COMMIT_INTERVAL("commit_interval", Kind.POSITIVE_SECONDS),
    /** Workers computing at once. */
    CONCURRENCY("concurrency", Kind.POSITIVE_INT),
    /** Whether work is checkpointed. */
    CHECKPOINT("checkpoint", Kind.BOOLEAN),
    /** Seconds between checkpoints of a fragment in progress (0: every batch). */
    CHECKPOINT_INTERVAL("checkpoint_interval", Kind.SECONDS),
    /** This run's on_error. */
    ON_ERROR("on_error", Kind.ON_ERROR),
    /** This run's max_error_fraction. */
    MAX_ERROR_FRACTION("max_error_fraction", Kind.FRACTION);

    private final String key;
    private final Kind kind;

    Option(String key, Kind kind) {
      this.key = key;
      this.kind = kind;
    }

    /** The name users write. */
    public String key() {
      return key;
    }

    static Option named(String key) {
      String k = key.trim().toLowerCase(Locale.ROOT);
      return Arrays.stream(values()).filter(o -> o.key.equals(k)).findFirst().orElse(null);
    }
  }

  private enum Kind {
    POSITIVE_INT,
    SECONDS,
    POSITIVE_SECONDS,
    BOOLEAN,
    ON_ERROR,
    FRACTION
  }

  /** No options: every default. */
  public static final BackfillOptions NONE = new BackfillOptions(Map.of());

  public BackfillOptions {
    values = Map.copyOf(values);
  }

  /** The option names, sorted, for messages. */
  public static List<String> names() {
    return Arrays.stream(Option.values()).map(Option::key).sorted().toList();
  }

  /** Whether {@code key} names an option. */
  public static boolean known(String key) {
    return Option.named(key) != null;
  }

  /** Why {@code key = value} cannot be used (one line), or null when it can. */
  public static String problem(String key, String value) {
    try {
      parseOne(key, value);
      return null;
    } catch (LancetException e) {
      return e.getMessage();
    }
  }

  /** Parses options given as text; the first bad one fails with a one-line message naming it. */
  public static BackfillOptions parse(Map<String, String> text) {
    Map<Option, Object> values = new EnumMap<>(Option.class);
    text.forEach((key, value) -> values.put(Option.named(key), parseOne(key, value)));
    return new BackfillOptions(values);
  }

  private static Object parseOne(String key, String value) {
    Option option = Option.named(key);
    if (option == null) {
      String nearest = dev.lancet.udf.OptionKeys.nearest(key, names());
      throw new LancetException(
          ErrorCode.LANCET_INVALID_OPTION,
          "unknown BACKFILL option '"
              + key
              + "'"
              + (nearest == null ? "" : " (did you mean '" + nearest + "'?)")
              + "; known options: "
              + names());
    }
    String v = value == null ? "" : value.trim();
    String lower = v.toLowerCase(Locale.ROOT);
    String bad = "BACKFILL option '" + option.key + "' must be ";
    switch (option.kind) {
      case BOOLEAN -> {
        if (lower.equals("true") || lower.equals("false")) {
          return Boolean.parseBoolean(lower);
        }
        throw new LancetException(
            ErrorCode.LANCET_INVALID_OPTION, bad + "true or false, got '" + value + "'");
      }
      case ON_ERROR -> {
        if (lower.equals("fail") || lower.equals("null") || lower.equals("retry")) {
          return lower;
        }
        throw new LancetException(
            ErrorCode.LANCET_INVALID_OPTION,
            bad + "'fail', 'null' or 'retry', got '" + value + "'");
      }
      case FRACTION -> {
        try {
          double d = Double.parseDouble(v);
          if (d >= 0 && d <= 1) {
            return d;
          }
        } catch (NumberFormatException e) {
          // reported below
        }
        throw new LancetException(
            ErrorCode.LANCET_INVALID_OPTION, bad + "a number between 0 and 1, got '" + value + "'");
      }
      default -> {
        boolean zeroAllowed = option.kind == Kind.SECONDS;
        try {
          int n = Integer.parseInt(v);
          if (n > 0 || (zeroAllowed && n == 0)) {
            return option.kind == Kind.POSITIVE_INT ? (Object) n : Duration.ofSeconds(n);
          }
        } catch (NumberFormatException e) {
          // reported below
        }
        throw new LancetException(
            ErrorCode.LANCET_INVALID_OPTION,
            bad
                + switch (option.kind) {
                  case SECONDS -> "a whole number of seconds (0 or more)";
                  case POSITIVE_SECONDS -> "a whole number of seconds (1 or more)";
                  default -> "a positive integer";
                }
                + ", got '"
                + value
                + "'");
      }
    }
  }

  /** The option's value, or null when it was not given. */
  @SuppressWarnings("unchecked")
  public <T> T get(Option option) {
    return (T) values.get(option);
  }

  /** Sets the given options on {@code backfill}. */
  public Backfill applyTo(Backfill backfill) {
    values.forEach(
        (option, value) -> {
          switch (option) {
            case BATCH_SIZE -> backfill.batchSize((Integer) value);
            case COMMIT_GRANULARITY -> backfill.commitGranularity((Integer) value);
            case COMMIT_INTERVAL -> backfill.commitInterval((Duration) value);
            case CONCURRENCY -> backfill.concurrency((Integer) value);
            case CHECKPOINT -> backfill.checkpoints((Boolean) value);
            case CHECKPOINT_INTERVAL -> backfill.checkpointInterval((Duration) value);
            case ON_ERROR -> backfill.onError((String) value);
            case MAX_ERROR_FRACTION -> backfill.maxErrorFraction((Double) value);
            default -> throw new IllegalStateException("unhandled option " + option);
          }
        });
    return backfill;
  }
}
