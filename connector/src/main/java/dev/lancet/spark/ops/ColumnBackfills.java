package dev.lancet.spark.ops;

import dev.lancet.backfill.Backfill;
import dev.lancet.backfill.BackfillControl;
import dev.lancet.backfill.BackfillExplanation;
import dev.lancet.backfill.BackfillResult;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.engine.SparkEngine;
import dev.lancet.udf.EngineChoice;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.LancetOption;
import dev.lancet.udf.UdfClassPolicy;
import dev.lancet.udf.UdfSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;

/**
 * Runs backfills of a table's virtual columns (several at once, sharing their scans); shared by SQL
 * and the Java API.
 */
public final class ColumnBackfills {
  private ColumnBackfills() {}

  /**
   * Backfills {@code columns} in order.
   *
   * @param filter a Lance filter of the rows to compute, or null for all
   * @param limit a pilot run's most rows per column ({@code BACKFILL ... LIMIT n}), or 0 for all
   * @param options the run's options
   * @param conf the session's settings: where UDF classes load from, which may
   */
  public static List<BackfillResult> run(
      ResolvedLanceTable table,
      List<String> columns,
      String filter,
      long limit,
      BackfillOptions options,
      LancetConf conf) {
    Map<String, UdfSpec> virtual = checkVirtual(table, columns);
    for (Map.Entry<String, UdfSpec> e : virtual.entrySet()) {
      if (LOOKUP_UDF.equals(e.getValue().className())) {
        throw new LancetException(
            ErrorCode.LANCET_UNSUPPORTED,
            "column '"
                + e.getKey()
                + "' of "
                + table.displayName()
                + " was loaded by key (ALTER TABLE ... LOAD COLUMNS), not computed: load it again"
                + " to fill new rows or take a changed source");
      }
    }
    return runChecked(table, virtual, filter, limit, options, conf);
  }

  /** The UDF of columns loaded by key ({@code LOAD COLUMNS}), which BACKFILL does not run. */
  public static final String LOOKUP_UDF = "dev.lancet.spark.load.KeyLookupUdf";

  /** Fills columns loaded by key: the backfill of LOAD COLUMNS. */
  public static List<BackfillResult> load(
      ResolvedLanceTable table, String lead, BackfillOptions options, LancetConf conf) {
    return runChecked(table, checkVirtual(table, List.of(lead)), null, 0, options, conf);
  }

  private static List<BackfillResult> runChecked(
      ResolvedLanceTable table,
      Map<String, UdfSpec> virtual,
      String filter,
      long limit,
      BackfillOptions options,
      LancetConf conf) {
    List<BackfillResult> results = new ArrayList<>();
    try {
      if (virtual.size() > 1 && limit == 0) {
        return runTogether(table, virtual, filter, options, conf);
      }
      for (String column : virtual.keySet()) {
        Configured configured =
            configure(table, column, virtual.get(column), filter, limit, options, conf);
        Backfill backfill = configured.backfill();
        BackfillControl control = new BackfillControl();
        backfill.control(control);
        // On Spark's executors the backfill's own Spark jobs stand for it (and a standing job
        // would hold a task slot they need).
        results.add(
            configured.engine() == EngineChoice.SPARK
                ? backfill.run()
                : StatementJob.run(
                    conf.spark(),
                    "BACKFILL " + table.displayName() + " (" + column + ")",
                    control,
                    backfill::run));
      }
    } finally {
      table.invalidate();
    }
    return results;
  }

  /**
   * Backfills several columns at once, one job each, with one scan for the rows they compute alike
   * ({@link Backfill#runTogether}); one control, so a cancel stops them all, and one standing job.
   */
  private static List<BackfillResult> runTogether(
      ResolvedLanceTable table,
      Map<String, UdfSpec> virtual,
      String filter,
      BackfillOptions options,
      LancetConf conf) {
    BackfillControl control = new BackfillControl();
    List<Backfill> backfills = new ArrayList<>();
    java.util.Set<EngineChoice> engines = new java.util.HashSet<>();
    for (String column : virtual.keySet()) {
      Configured configured =
          configure(table, column, virtual.get(column), filter, 0, options, conf);
      backfills.add(configured.backfill().control(control));
      engines.add(configured.engine());
    }
    return engines.contains(EngineChoice.SPARK)
        ? Backfill.runTogether(backfills)
        : StatementJob.run(
            conf.spark(),
            "BACKFILL " + table.displayName() + " (" + String.join(", ", virtual.keySet()) + ")",
            control,
            () -> Backfill.runTogether(backfills));
  }

  /**
   * What backfills of {@code columns} with these options would do now, one per column, computing
   * and changing nothing: the same plan, engine and workers as {@link #run}.
   */
  public static List<BackfillExplanation> explain(
      ResolvedLanceTable table,
      List<String> columns,
      String filter,
      long limit,
      BackfillOptions options,
      LancetConf conf) {
    Map<String, UdfSpec> virtual = checkVirtual(table, columns);
    return virtual.keySet().stream()
        .map(
            c ->
                configure(table, c, virtual.get(c), filter, limit, options, conf)
                    .backfill()
                    .explain())
        .toList();
  }

  /** A backfill as the run's options and the session configure it, and its engine. */
  private record Configured(Backfill backfill, EngineChoice engine) {}

  private static Configured configure(
      ResolvedLanceTable table,
      String column,
      UdfSpec spec,
      String filter,
      long limit,
      BackfillOptions options,
      LancetConf conf) {
    Backfill backfill =
        ProgressListeners.apply(
            Backfill.of(table.datasetUri(), column)
                .storageOptions(table.storageOptions())
                .where(filter)
                .tableName(table.displayName())
                .classLoader(conf.udfClassLoader())
                .classPolicy(conf.classPolicy()));
    options.applyTo(backfill);
    if (limit > 0) {
      backfill.limit(limit);
    }
    EngineChoice engine =
        options.get(LancetOption.ENGINE) != null ? options.get(LancetOption.ENGINE) : conf.engine();
    if (engine != EngineChoice.SPARK
        && UdfClassPolicy.BUILT_IN.contains(spec.className())
        && Backfill.workersOnRayCluster()) {
      throw new LancetException(
          ErrorCode.LANCET_UNSUPPORTED,
          "column '"
              + column
              + "' of "
              + table.displayName()
              + (VirtualColumnDef.EXPRESSION_UDF.equals(spec.className())
                  ? " is a SQL expression, which Spark's code evaluates"
                  : " is loaded by key, which Lancet's own code looks up")
              + ": a Ray cluster's workers have neither; backfill it with OPTIONS (engine ="
              + " 'spark')");
    }
    if (engine == EngineChoice.SPARK) {
      StandingJobLogFilter.install(); // a cancel's killed tasks are reported once, by the statement
      SparkEngine spark = SparkEngine.of(conf.spark().sparkContext());
      backfill.engine(spark);
      if (options.get(LancetOption.CONCURRENCY) == null) {
        backfill.concurrency(spark.slots()); // the executors' task slots
      }
    }
    return new Configured(backfill, engine);
  }

  /**
   * Checks every column first, so a bad name in a list fails before any work is committed; returns
   * the columns to compute, in order, each with its spec: a sibling column's group appears once,
   * under its lead.
   */
  private static Map<String, UdfSpec> checkVirtual(ResolvedLanceTable table, List<String> columns) {
    Map<String, UdfSpec> virtual;
    Map<String, String> leads = new LinkedHashMap<>();
    try (Dataset dataset =
        LanceDatasets.open(new TableLocation(table.datasetUri(), table.storageOptions()))) {
      Schema schema = dataset.getSchema();
      virtual = VirtualColumns.list(schema);
      VirtualColumns.siblings(schema)
          .forEach((lead, names) -> names.forEach(n -> leads.put(n, lead)));
    }
    Map<String, UdfSpec> toRun = new LinkedHashMap<>();
    for (String column : columns) {
      // A sibling is computed with its group, once per statement.
      String lead = leads.getOrDefault(column, column);
      if (virtual.containsKey(lead)) {
        toRun.put(lead, virtual.get(lead));
      } else {
        throw new LancetException(
            ErrorCode.LANCET_COLUMN_NOT_VIRTUAL,
            "column '"
                + column
                + "' of "
                + table.displayName()
                + " is not a virtual column"
                + (virtual.isEmpty()
                    ? "; the table has none"
                    : "; its virtual columns are " + virtual.keySet()));
      }
    }
    return toRun;
  }
}
