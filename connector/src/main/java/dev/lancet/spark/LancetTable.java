package dev.lancet.spark;

import dev.lancet.backfill.BackfillExplanation;
import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.BackfillJobs;
import dev.lancet.backfill.BackfillResult;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.ops.ColumnBackfills;
import dev.lancet.spark.ops.VirtualColumnDef;
import dev.lancet.spark.ops.VirtualColumnRegistrar;
import dev.lancet.udf.UdfSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A Lance table seen through Lancet: add virtual columns, backfill them, read them. */
public final class LancetTable {
  private final SparkSession spark;
  private final String name;

  LancetTable(SparkSession spark, String name) {
    this.spark = spark;
    this.name = name;
  }

  private ResolvedLanceTable ref() {
    return TableNameResolver.resolve(spark, Arrays.asList(name.split("\\.")));
  }

  /**
   * Adds virtual columns in one commit (all or none); iteration order of the map is the column
   * order. Nothing is computed until {@link #backfill}.
   */
  public LancetTable addColumns(Map<String, VirtualColumn> columns) {
    List<VirtualColumnDef> defs = new ArrayList<>();
    columns.forEach((column, v) -> defs.add(def(column, v)));
    VirtualColumnRegistrar.add(ref(), defs, LancetConf.of(spark));
    return this;
  }

  /**
   * Adds sibling columns {@code names}: one per field of the record {@code udf} returns, in order,
   * all computed by one call per row ({@code ADD COLUMNS (w, h, fmt) USING UDF}). A backfill of any
   * of them computes them all.
   */
  public LancetTable addSiblingColumns(List<String> names, VirtualColumn udf) {
    return addColumnGroups(List.of(names), List.of(udf));
  }

  /**
   * Adds columns in one commit (all or none): {@code names.get(i)} is one column computed by {@code
   * udfs.get(i)}, or, when it names several, sibling columns (see {@link #addSiblingColumns}).
   */
  public LancetTable addColumnGroups(List<List<String>> names, List<VirtualColumn> udfs) {
    if (names.size() != udfs.size()) {
      throw new IllegalArgumentException("one UDF per group of names");
    }
    List<VirtualColumnDef> defs = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      List<String> group = List.copyOf(names.get(i));
      VirtualColumnDef def = def(group.get(0), udfs.get(i));
      defs.add(group.size() == 1 ? def : def.asSiblings(group));
    }
    VirtualColumnRegistrar.add(ref(), defs, LancetConf.of(spark));
    return this;
  }

  private static VirtualColumnDef def(String column, VirtualColumn v) {
    return new VirtualColumnDef(column, v.type(), v.udfClass(), v.inputs(), v.options());
  }

  /** Computes the columns for every row, with the default options; one result per column. */
  public List<BackfillResult> backfill(String... columns) {
    return backfill(List.of(columns), null, Map.of());
  }

  /** Computes one column for the rows matching a Lance filter; other rows keep their values. */
  public BackfillResult backfill(String column, String where) {
    return backfill(List.of(column), where, Map.of()).get(0);
  }

  /**
   * Computes the columns for the rows matching {@code where} (a Lance filter, or null for all);
   * options as BACKFILL's OPTIONS ({@link dev.lancet.spark.ops.BackfillOptions.Option}):
   * batch_size, commit_granularity, commit_interval, concurrency, checkpoint, checkpoint_interval,
   * on_error, max_error_fraction and engine ({@code ray} or {@code spark}) for this run.
   */
  public List<BackfillResult> backfill(
      List<String> columns, String where, Map<String, String> options) {
    return backfill(columns, where, options, 0);
  }

  /**
   * {@link #backfill(List, String, Map)} as a pilot run when {@code limit} is positive: at most
   * {@code limit} rows per column are computed and committed ({@code BACKFILL ... LIMIT n}); the
   * full run later does not compute them again.
   */
  public List<BackfillResult> backfill(
      List<String> columns, String where, Map<String, String> options, long limit) {
    return ColumnBackfills.run(
        ref(),
        columns,
        where,
        limit,
        dev.lancet.spark.ops.BackfillOptions.parse(options),
        LancetConf.of(spark));
  }

  /**
   * What {@link #backfill(List, String, Map)} with the same arguments would do now, one per column,
   * computing and changing nothing: the rows it would compute by why, its tasks, engine, workers
   * and commits, the code it would run and an estimated time ({@code EXPLAIN BACKFILL}).
   */
  public List<BackfillExplanation> explain(
      List<String> columns, String where, Map<String, String> options) {
    return explain(columns, where, options, 0);
  }

  /** {@link #explain(List, String, Map)} of a pilot run of at most {@code limit} rows a column. */
  public List<BackfillExplanation> explain(
      List<String> columns, String where, Map<String, String> options, long limit) {
    return ColumnBackfills.explain(
        ref(),
        columns,
        where,
        limit,
        dev.lancet.spark.ops.BackfillOptions.parse(options),
        LancetConf.of(spark));
  }

  /**
   * The table's virtual columns and their definitions, in schema order: a sibling group once, under
   * its first column, with the UDF's record type ({@link #siblingColumns} names its columns).
   */
  public Map<String, UdfSpec> virtualColumns() {
    ResolvedLanceTable ref = ref();
    return VirtualColumns.list(ref.datasetUri(), ref.storageOptions());
  }

  /**
   * Loads {@code columns} of {@code source} into this table by {@code key} ({@code ALTER TABLE ...
   * LOAD COLUMNS}), with BACKFILL's options: rows whose key the source lacks read null; the same
   * source again loads only new rows, a changed one every row.
   */
  public List<BackfillResult> loadColumns(
      List<String> columns,
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> source,
      String key,
      Map<String, String> options) {
    return dev.lancet.spark.load.ColumnLoads.load(
        ref(),
        columns,
        source,
        "the given DataFrame",
        key,
        dev.lancet.spark.ops.BackfillOptions.parse(options),
        LancetConf.of(spark));
  }

  /** The table's sibling groups: each group's first column with all its columns, in order. */
  public Map<String, List<String>> siblingColumns() {
    ResolvedLanceTable ref = ref();
    return VirtualColumns.siblings(
        new dev.lancet.lance.TableLocation(ref.datasetUri(), ref.storageOptions()));
  }

  /** Gives a virtual column a new UDF definition; the next backfill recomputes it. */
  public LancetTable alterColumn(String column, VirtualColumn udf) {
    VirtualColumnRegistrar.replace(
        ref(),
        new VirtualColumnDef(column, udf.type(), udf.udfClass(), udf.inputs(), udf.options()),
        LancetConf.of(spark));
    return this;
  }

  /** Each virtual column with how much of it is current. */
  public List<VirtualColumns.Status> status() {
    ResolvedLanceTable ref = ref();
    return VirtualColumns.status(
        ref.datasetUri(), ref.storageOptions(), LancetConf.of(spark).udfClassLoader());
  }

  /** The table's backfill jobs, oldest first. */
  public List<BackfillJob> jobs() {
    ResolvedLanceTable ref = ref();
    return BackfillJobs.list(ref.datasetUri(), ref.storageOptions());
  }

  /** The table as a DataFrame. */
  public Dataset<Row> toDF() {
    return spark.table(name);
  }
}
