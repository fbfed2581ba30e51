package dev.lancet.spark.ops;

import dev.lancet.backfill.Backfill;
import dev.lancet.backfill.BackfillControl;
import dev.lancet.backfill.BackfillResult;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.spark.LancetConf;
import dev.lancet.spark.LancetSqlException;
import dev.lancet.spark.catalog.LanceTableRef;
import dev.lancet.udf.UdfSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs backfills of a table's virtual columns, one after another; shared by SQL and the Java API. */
public final class ColumnBackfills {
  /**
   * BACKFILL options the engine understands: positive integers, {@code checkpoint} (true or
   * false) and {@code checkpoint_interval} (seconds, 0 or more).
   */
  public static final Set<String> OPTIONS = Set.of("batch_size", "commit_granularity", "concurrency", "checkpoint",
      "checkpoint_interval", "on_error", "max_error_fraction");

  private ColumnBackfills() {}

  /** Why an option cannot be used, or null when it can. */
  public static String problem(String key, String value) {
    if (!OPTIONS.contains(key)) {
      return "unknown BACKFILL option '" + key + "'; known options: " + OPTIONS.stream().sorted().toList();
    }
    if (key.equals("on_error")) {
      String v = value.trim().toLowerCase(java.util.Locale.ROOT);
      return v.equals("fail") || v.equals("null") || v.equals("retry") ? null
          : "BACKFILL option 'on_error' must be 'fail', 'null' or 'retry', got '" + value + "'";
    }
    if (key.equals("max_error_fraction")) {
      try {
        double d = Double.parseDouble(value.trim());
        if (d >= 0 && d <= 1) {
          return null;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      return "BACKFILL option 'max_error_fraction' must be a number between 0 and 1, got '" + value + "'";
    }
    if (key.equals("checkpoint")) {
      String v = value.trim().toLowerCase(java.util.Locale.ROOT);
      return v.equals("true") || v.equals("false") ? null
          : "BACKFILL option 'checkpoint' must be true or false, got '" + value + "'";
    }
    boolean zeroAllowed = key.equals("checkpoint_interval");
    try {
      int n = Integer.parseInt(value.trim());
      if (n > 0 || (zeroAllowed && n == 0)) {
        return null;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    if (zeroAllowed) {
      return "BACKFILL option 'checkpoint_interval' must be a whole number of seconds (0 or more), got '" + value + "'";
    }
    return "BACKFILL option '" + key + "' must be a positive integer, got '" + value + "'";
  }

  /**
   * Backfills {@code columns} in order.
   *
   * @param filter a Lance filter of the rows to compute, or null for all
   * @param options batch_size, commit_granularity, concurrency, checkpoint, checkpoint_interval,
   *     on_error, max_error_fraction
   * @param conf the session's settings: where UDF classes load from, which may
   */
  public static List<BackfillResult> run(LanceTableRef table, List<String> columns, String filter,
      Map<String, String> options, LancetConf conf) {
    options.forEach((key, value) -> {
      String problem = problem(key, value);
      if (problem != null) {
        throw new LancetSqlException(problem);
      }
    });
    // Check every column first, so a bad name in a list fails before any work is committed.
    Map<String, UdfSpec> virtual = VirtualColumns.list(table.datasetUri(), table.storageOptions());
    for (String column : columns) {
      if (!virtual.containsKey(column)) {
        throw new LancetSqlException("column '" + column + "' of " + table.displayName() + " is not a virtual column"
            + (virtual.isEmpty() ? "; the table has none" : "; its virtual columns are " + virtual.keySet()));
      }
    }
    List<BackfillResult> results = new ArrayList<>();
    try {
      for (String column : columns) {
        Backfill backfill = ProgressListeners.apply(Backfill.of(table.datasetUri(), column)
            .storageOptions(table.storageOptions()).where(filter).tableName(table.displayName())
            .classLoader(conf.udfClassLoader()).classPolicy(conf.classPolicy()));
        if (options.containsKey("on_error")) {
          backfill.onError(options.get("on_error").trim());
        }
        if (options.containsKey("max_error_fraction")) {
          backfill.maxErrorFraction(Double.parseDouble(options.get("max_error_fraction").trim()));
        }
        if (options.containsKey("batch_size")) {
          backfill.batchSize(Integer.parseInt(options.get("batch_size")));
        }
        if (options.containsKey("concurrency")) {
          backfill.concurrency(Integer.parseInt(options.get("concurrency")));
        }
        if (options.containsKey("commit_granularity")) {
          backfill.commitGranularity(Integer.parseInt(options.get("commit_granularity")));
        }
        if (options.containsKey("checkpoint_interval")) {
          backfill.checkpointInterval(java.time.Duration.ofSeconds(Integer.parseInt(options.get("checkpoint_interval").trim())));
        }
        if (options.containsKey("checkpoint")) {
          backfill.checkpoints(Boolean.parseBoolean(options.get("checkpoint").trim()));
        }
        BackfillControl control = new BackfillControl();
        backfill.control(control);
        results.add(StatementJob.run(conf.spark(), "BACKFILL " + table.displayName() + " (" + column + ")", control,
            backfill::run));
      }
    } finally {
      table.invalidate();
    }
    return results;
  }
}
