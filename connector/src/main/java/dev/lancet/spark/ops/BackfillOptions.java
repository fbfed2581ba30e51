package dev.lancet.spark.ops;

import dev.lancet.backfill.Backfill;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.LancetOption;
import dev.lancet.udf.LancetOption.Scope;
import dev.lancet.udf.OnError;
import dev.lancet.udf.OptionKeys;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one BACKFILL run, as {@code OPTIONS (...)} in SQL, keyword arguments in PySpark
 * and a map in the Java API give them: parsed and checked once, here, by Lancet's one option model
 * ({@link LancetOption}, the run's scope), then applied to the {@link Backfill}. Unset options keep
 * the column's (then {@code @Udf}'s, then the defaults).
 *
 * @param values the options given, each parsed to its type
 */
public record BackfillOptions(Map<LancetOption, Object> values) {
  /** No options: every default. */
  public static final BackfillOptions NONE = new BackfillOptions(Map.of());

  public BackfillOptions {
    values = Map.copyOf(values);
  }

  /** The option names, sorted, for messages. */
  public static List<String> names() {
    return LancetOption.keys(Scope.RUN);
  }

  /** Whether {@code key} names an option of a run. */
  public static boolean known(String key) {
    LancetOption option = LancetOption.named(key);
    return option != null && option.scope().allows(Scope.RUN);
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
    Map<LancetOption, Object> values = new EnumMap<>(LancetOption.class);
    text.forEach((key, value) -> values.put(LancetOption.named(key), parseOne(key, value)));
    return new BackfillOptions(values);
  }

  private static Object parseOne(String key, String value) {
    LancetOption option = LancetOption.named(key);
    if (option != null && !option.scope().allows(Scope.RUN)) {
      throw new LancetException(
          ErrorCode.LANCET_INVALID_OPTION,
          "option '%s' is the column's, not a BACKFILL's: set it with ALTER TABLE ... ALTER COLUMN"
              + " ... SET UDF ... OPTIONS (%s = ...)",
          option.key(),
          option.key());
    }
    if (option == null) {
      String nearest = OptionKeys.nearest(key, names());
      throw new LancetException(
          ErrorCode.LANCET_INVALID_OPTION,
          "unknown BACKFILL option '%s'%s; known options: %s",
          key,
          nearest == null ? "" : " (did you mean '" + nearest + "'?)",
          names());
    }
    return option.parse(value, "BACKFILL ");
  }

  /** The option's value, or null when it was not given. */
  @SuppressWarnings("unchecked")
  public <T> T get(LancetOption option) {
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
            case TASK_SIZE -> backfill.taskSize((Integer) value);
            case CHECKPOINT -> backfill.checkpoints((Boolean) value);
            case CHECKPOINT_INTERVAL -> backfill.checkpointInterval((Duration) value);
            case ON_ERROR -> backfill.onError((OnError) value);
            case MAX_ERROR_FRACTION -> backfill.maxErrorFraction((Double) value);
            case ENGINE -> {} // the session's engine: ColumnBackfills picks it
            default -> throw new IllegalStateException("not an option of a run: " + option);
          }
        });
    return backfill;
  }
}
