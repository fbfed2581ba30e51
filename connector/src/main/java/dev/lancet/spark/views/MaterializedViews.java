package dev.lancet.spark.views;

import dev.lancet.backfill.BackfillControl;
import dev.lancet.backfill.PinnedCode;
import dev.lancet.backfill.TableCompaction;
import dev.lancet.lance.Folders;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.StoredObjects;
import dev.lancet.lance.TableLocation;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.catalog.TableNameResolver;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.functions.FunctionCode;
import dev.lancet.spark.functions.TableFunctions;
import dev.lancet.spark.ops.StandingJobLogFilter;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.vector.BigIntVector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.fragment.DataFile;
import org.lance.schema.LanceField;

/**
 * Materialized views of Lance tables: {@code CREATE MATERIALIZED VIEW v AS SELECT ...} stores the
 * query's rows as a Lance table, each with its source row's address ({@link ViewQuery#SOURCE_ROW}),
 * and {@code REFRESH MATERIALIZED VIEW v} brings it to the source's current version computing only
 * what changed, fragment by fragment (Lance tells what changed per fragment):
 *
 * <ul>
 *   <li>a new fragment (appended rows, an UPDATE's rewritten rows): its derived rows are computed;
 *   <li>a fragment whose deleted rows grew (a DELETE, the old side of an UPDATE): the derived rows
 *       of rows no longer there are removed, nothing is computed;
 *   <li>a fragment whose files of the columns read changed (a backfill of a projected virtual
 *       column) or that is gone (a compaction): its derived rows are removed, and computed again
 *       for what it holds now;
 *   <li>nothing else: an identical refresh computes nothing and makes no version.
 * </ul>
 *
 * The derived rows are computed by Spark (the session's executors, with the session's jars), in
 * groups of fragments, each group one commit followed by the view's state: a refresh that stops
 * resumes after the last group it committed, and a group's rows are removed before they are
 * written, so a group computed twice is never there twice.
 */
public final class MaterializedViews {
  private MaterializedViews() {}

  /**
   * What a create or refresh did: the source rows it read (those of the fragments it computed: the
   * rows its 1:N UDFs were called for, before the query's WHERE), the view's rows it added and
   * removed, and the source rows it skipped because their UDF failed ({@code on_error = 'skip'}).
   */
  public record Outcome(
      String view,
      String source,
      long sourceVersion,
      int fragmentsComputed,
      long sourceRowsRead,
      long rowsAdded,
      long rowsRemoved,
      long viewVersion,
      long rowsFailed) {}

  /** A view as SHOW MATERIALIZED VIEWS lists it. */
  public record Listed(
      String view, String source, long sourceVersion, long sourceCurrentVersion, boolean fresh) {}

  /**
   * {@code CREATE MATERIALIZED VIEW [IF NOT EXISTS] view [PARTITION BY (key)] AS sql}; {@code
   * partitionBy} is null for a view whose rows each come from one source row.
   */
  public static Outcome create(
      SparkSession spark,
      List<String> viewName,
      String sql,
      boolean ifNotExists,
      String partitionBy,
      ViewOptions options) {
    String display = String.join(".", viewName);
    if (exists(spark, viewName)) {
      if (ifNotExists) {
        return null;
      }
      throw new LancetException(
          ErrorCode.LANCET_UNSUPPORTED,
          "materialized view " + display + ": a table of that name exists already");
    }
    ViewQuery checked = ViewQuery.parse(spark, display, sql, partitionBy, null);
    ResolvedLanceTable source = TableNameResolver.resolve(spark, checked.sourceName());
    refuseUnsupportedStore(display, source.datasetUri());
    // The view's 1:N UDFs run the session's jars of now, pinned, in every later refresh.
    FunctionCode code = pinFunctions(spark, display, sql, source);
    RowFailures failures =
        RowFailures.of(
            spark.sparkContext(), display, options, "create-" + java.util.UUID.randomUUID());
    ViewQuery query = checked.in(code, failures.sink());
    List<String> columns = query.sourceColumns();
    if (partitionBy != null) {
      GroupKeys.check(display, at(source), partitionBy);
    }
    SourceNow now = SourceNow.of(source, columns);
    // Rows of the fragments seen, so the state says exactly what the view holds (a partitioned
    // view's groups are read whole). A CREATE that fails leaves no table: the same CREATE runs
    // again once its cause is fixed.
    try {
      org.apache.spark.sql.Dataset<Row> rows =
          partitionBy == null
              ? query.rows(new ArrayList<>(now.files().keySet()))
              : query.groups(null);
      String tag = StandingJobLogFilter.VIEW_TAG + "create-" + java.util.UUID.randomUUID();
      StandingJobLogFilter.install(); // its failed tasks are reported once, in the error below
      spark.sparkContext().addJobTag(tag);
      try {
        query.write(() -> rows.writeTo(display).create());
      } finally {
        spark.sparkContext().removeJobTag(tag);
      }
    } catch (Exception e) { // Spark's SparkException too, which Java sees as checked
      dropLeftover(spark, viewName);
      String cancelled = cancellation(e);
      throw new LancetException(
          cancelled != null ? ErrorCode.LANCET_BACKFILL_CANCELLED : ErrorCode.LANCET_UDF_FAILED,
          e,
          "materialized view "
              + display
              + (cancelled != null
                  ? ": its build was cancelled (" + cancelled + ")"
                  : ": building it failed: " + rootMessage(e))
              + "; nothing was created");
    }
    ResolvedLanceTable view;
    long read = now.liveRows().values().stream().mapToLong(Long::longValue).sum();
    try {
      view = TableNameResolver.resolve(spark, viewName);
      view.invalidate();
      refuseUnsupportedStore(display, view.datasetUri());
      Map<Integer, Set<Long>> failed =
          partitionBy == null ? failures.take(read, at(view)) : Map.of();
      Set<Object> failedGroups =
          partitionBy == null || failures.sink() == null // nothing skipped: no key read
              ? Set.of()
              : failures.takeGroups(allKeys(at(source), partitionBy, now), at(view), Set.of());
      failures.check("nothing was created");
      new ViewState(
              sql,
              partitionBy,
              source.displayName(),
              source.datasetUri(),
              columns,
              now.version(),
              now.files(),
              now.deletions(),
              Set.of(),
              functionsOf(spark, query),
              code,
              options.equals(ViewOptions.NONE) ? null : options,
              failed,
              failedGroups)
          .write(at(view));
    } catch (RuntimeException e) {
      dropLeftover(spark, viewName);
      throw e;
    }
    compactIfFragmented(at(view));
    view.invalidate();
    long rows = countRows(at(view), null);
    return new Outcome(
        view.displayName(),
        source.displayName(),
        now.version(),
        now.files().size(),
        read,
        rows,
        0,
        version(at(view)),
        failures.failed());
  }

  /**
   * {@code REFRESH MATERIALIZED VIEW view [OPTIONS (...)]}: {@code options} over those the view was
   * created with.
   */
  public static Outcome refresh(SparkSession spark, List<String> viewName, ViewOptions options) {
    ResolvedLanceTable view = TableNameResolver.resolve(spark, viewName);
    // Refreshes of one view in this JVM run one at a time: two at once would each delete, then
    // append, the same changed rows. One from another process fails at once (RefreshLock).
    synchronized (REFRESHING.computeIfAbsent(view.datasetUri(), k -> new Object())) {
      stateOf(view); // a plain table is refused before its folder gets a lock file
      try (RefreshLock lock = RefreshLock.take(view.displayName(), at(view))) {
        RefreshJob job = RefreshJob.start(spark.sparkContext(), at(view), version(at(view)));
        Outcome done;
        try {
          done = refreshAlone(spark, view, options, job, lock);
        } catch (RuntimeException e) {
          throw job.failed(e);
        }
        return job.succeeded(done);
      }
    }
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, Object> REFRESHING =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Outcome refreshAlone(
      SparkSession spark,
      ResolvedLanceTable view,
      ViewOptions given,
      RefreshJob job,
      RefreshLock lock) {
    BackfillControl control = job.control();
    ViewState state = stateOf(view);
    ViewOptions options = given.over(state.options());
    int perCommit = options.perCommit();
    RowFailures failures =
        RowFailures.of(spark.sparkContext(), view.displayName(), options, job.jobId());
    StagedFragments.clearLeftovers(at(view));
    defineFunctions(spark, state);
    ViewQuery unchecked =
        ViewQuery.parseUnchecked(
            spark, view.displayName(), state.query(), state.partitionBy(), state.code());
    ViewQuery query = unchecked.in(state.code(), failures.sink());
    ResolvedLanceTable source = TableNameResolver.resolve(spark, query.sourceName());
    if (!source.datasetUri().equals(state.sourceUri())) {
      throw new LancetException(
          ErrorCode.LANCET_UNSUPPORTED,
          "materialized view "
              + view.displayName()
              + ": its source "
              + state.source()
              + " is another table now ("
              + source.datasetUri()
              + ", was "
              + state.sourceUri()
              + "); drop the view and create it again");
    }
    SourceNow now = SourceNow.of(source, state.sourceColumns());
    unchecked.checkAgainst(view.displayName(), view.datasetUri(), now.schema());
    TableLocation viewAt = at(view);
    Map<Integer, String> files = new HashMap<>(state.files());
    Map<Integer, Long> deletions = new HashMap<>(state.deletions());
    List<Integer> compute = new ArrayList<>();
    List<Integer> gone = new ArrayList<>();
    List<Integer> thinned = new ArrayList<>();
    for (Map.Entry<Integer, String> f : now.files().entrySet()) {
      String was = state.files().get(f.getKey());
      if (!f.getValue().equals(was)) {
        compute.add(f.getKey());
      } else if (!now.deletions().get(f.getKey()).equals(state.deletions().get(f.getKey()))) {
        thinned.add(f.getKey());
      }
    }
    for (Integer id : state.files().keySet()) {
      if (!now.files().containsKey(id)) {
        gone.add(id);
      }
    }
    // Rows skipped before (their UDF failed) are computed again, unless their fragment is anyway.
    Map<Integer, Set<Long>> failed = new TreeMap<>(state.failed());
    failed.keySet().removeIf(id -> !now.files().containsKey(id));
    Map<Integer, Set<Long>> retry = new TreeMap<>(failed);
    retry.keySet().removeAll(compute);
    if (compute.isEmpty()
        && gone.isEmpty()
        && thinned.isEmpty()
        && retry.isEmpty()
        && state.failedGroups().isEmpty()) {
      if (state.sourceVersion() != now.version()) {
        state.at(now.version(), files, deletions).write(viewAt); // nothing the view reads changed
      }
      return new Outcome(
          view.displayName(),
          source.displayName(),
          now.version(),
          0,
          0,
          0,
          0,
          job.versionBefore(),
          0);
    }
    job.working(compute.size());
    if (state.partitionBy() != null) {
      return refreshGroups(
          view, state, query, source, now, compute, gone, thinned, job, lock, failures);
    }
    long removed = 0;
    // Fragments whose rows an earlier, stopped refresh may have appended stay marked until their
    // group is committed here (null: unknown, a state of an earlier release).
    Set<Integer> unsure = state.appending() == null ? null : new TreeSet<>(state.appending());
    // The state as far as this refresh has come, with the fragments marked as being appended.
    java.util.function.Consumer<Set<Integer>> save =
        marked ->
            state
                .at(state.sourceVersion(), files, deletions, marked)
                .withFailed(failed)
                .write(viewAt);
    if (!gone.isEmpty()) {
      lock.check(); // before each change of the view: a lease taken over stops here
      removed += deleteWhere(viewAt, inFragments(gone));
      gone.forEach(
          id -> {
            files.remove(id);
            deletions.remove(id);
          });
      save.accept(unsure);
    }
    for (Integer id : thinned) {
      lock.check();
      removed += removeDeletedRows(viewAt, at(source), now.version(), id);
      deletions.put(id, now.deletions().get(id));
      save.accept(unsure);
    }
    long added = 0;
    Staging staging =
        new Staging(spark, view, query, source, now.version(), state.sourceColumns(), control);
    long rowsTotal = compute.stream().mapToLong(id -> now.liveRows().get(id)).sum();
    long rowsDone = 0;
    if (!compute.isEmpty()) {
      job.progress(0, compute.size(), 0, rowsTotal);
    }
    for (int at = 0; at < compute.size(); at += perCommit) {
      List<Integer> group = compute.subList(at, Math.min(compute.size(), at + perCommit));
      lock.check();
      // What the view holds of these fragments goes first: their rows before a change, or what an
      // earlier (stopped) refresh appended. A new fragment no refresh was appending has none, and
      // is not looked for (a filtered count of the whole view).
      if (group.stream().anyMatch(state::mayHoldRowsOf)) {
        removed += deleteWhere(viewAt, inFragments(group));
      }
      Set<Integer> appending = unsure == null ? null : new TreeSet<>(unsure);
      if (appending != null) {
        appending.addAll(group);
        save.accept(appending);
      }
      added +=
          staging.compute(group, null, "source fragment(s) " + group, at, compute.size()).added();
      long groupRows = group.stream().mapToLong(id -> now.liveRows().get(id)).sum();
      Map<Integer, Set<Long>> skipped = failures.take(groupRows, viewAt);
      for (Integer id : group) {
        files.put(id, now.files().get(id));
        deletions.put(id, now.deletions().get(id));
        if (unsure != null) {
          unsure.remove(id);
        }
        failed.remove(id);
        if (skipped.containsKey(id)) {
          failed.put(id, skipped.get(id));
        }
      }
      save.accept(unsure);
      rowsDone += groupRows;
      job.progress(at + group.size(), compute.size(), rowsDone, rowsTotal);
      failures.check(
          (at + group.size())
              + " of "
              + compute.size()
              + " changed fragments are committed, their failed rows kept to compute again");
    }
    long[] retried = {0, 0}; // source rows computed again, view rows they added
    if (!retry.isEmpty()) {
      lock.check();
      // A stopped retry may have appended some: theirs go first (a filtered count finds none).
      removed +=
          deleteWhere(
              viewAt,
              ViewQuery.SOURCE_ROW
                  + " IN ("
                  + retry.values().stream()
                      .flatMap(Set::stream)
                      .map(String::valueOf)
                      .collect(Collectors.joining(", "))
                  + ")");
      Staged again =
          staging.compute(
              new ArrayList<>(retry.keySet()),
              retry,
              "the source rows that failed before",
              compute.size(),
              compute.size());
      retried[0] = again.rows();
      retried[1] = again.added();
      Map<Integer, Set<Long>> skipped = failures.takeRetried(viewAt);
      retry.keySet().forEach(failed::remove);
      failed.putAll(skipped);
      save.accept(unsure);
      failures.check("every changed fragment is committed, the failed rows kept to compute again");
    }
    return finish(
        view,
        source,
        state.at(now.version(), files, deletions).withFailed(failed),
        compute.size(),
        rowsTotal + retried[0],
        added + retried[1],
        removed,
        failures.failed());
  }

  /** A view with at least this many small fragments is compacted after its build or a refresh. */
  static final int SMALL_FRAGMENTS = 32;

  /** A fragment of fewer rows than this is small. */
  static final long SMALL_ROWS = 64 * 1024;

  /**
   * Compacts the view when it holds {@value #SMALL_FRAGMENTS} small fragments or more: its build
   * writes a fragment per Spark task (a source of thousands of small fragments gives a view of as
   * many), and each refresh adds its own, and a scan pays for each fragment (2,000 fragments of 10
   * rows took 11 s to count). A compaction merges only small fragments, keeps its virtual columns'
   * values current, and leaves what a refresh knows alone: its state is by source fragment.
   */
  private static void compactIfFragmented(TableLocation view) {
    long small;
    try (org.lance.Dataset d = LanceDatasets.open(view.uri(), view.storageOptions())) {
      small = d.getFragments().stream().filter(f -> f.metadata().getNumRows() < SMALL_ROWS).count();
    }
    if (small >= SMALL_FRAGMENTS) {
      try {
        TableCompaction.compact(view, null);
      } catch (RuntimeException e) { // another writer's commit first: the next run compacts
        org.slf4j.LoggerFactory.getLogger(MaterializedViews.class)
            .warn(
                "cannot compact the {} small fragments of {}: {}", small, view.uri(), e.toString());
      }
    }
  }

  /** What {@link Staging#compute} did: source rows staged, view rows added. */
  private record Staged(long rows, long added) {}

  /**
   * What every staged computation of one refresh shares: the view, its query and source at the
   * version the refresh reflects, the source columns the query reads, and the refresh's control.
   */
  private record Staging(
      SparkSession spark,
      ResolvedLanceTable view,
      ViewQuery query,
      ResolvedLanceTable source,
      long version,
      List<String> columns,
      BackfillControl control) {

    /**
     * Computes the derived rows of source fragments {@code fragments} (only the rows {@code only}
     * lists, unless it is null) and appends them to the view: only these rows are read, from a
     * staged copy the query reads instead of the source. {@code what}, {@code done} and {@code
     * total} describe the step to the progress bar.
     */
    Staged compute(
        List<Integer> fragments, Map<Integer, Set<Long>> only, String what, int done, int total) {
      long before = countRows(at(view), null);
      view.invalidate();
      long rows;
      try (StagedFragments staged =
          StagedFragments.of(
              spark,
              at(source),
              version,
              fragments,
              columns,
              at(view),
              view.catalog().name(),
              only)) {
        rows = staged.rows();
        if (staged.plan() != null) {
          append(
              query, query.rowsFrom(staged.plan()), view, what, done, total, "fragments", control);
        }
      }
      view.invalidate();
      return new Staged(rows, countRows(at(view), null) - before);
    }
  }

  /**
   * A refresh's end: the state that reflects the source now is written, Spark told the view
   * changed, and what was done returned with the view's version.
   */
  private static Outcome finish(
      ResolvedLanceTable view,
      ResolvedLanceTable source,
      ViewState reflected,
      int fragments,
      long read,
      long added,
      long removed,
      long failed) {
    reflected.write(at(view));
    compactIfFragmented(at(view));
    view.invalidate();
    return new Outcome(
        view.displayName(),
        source.displayName(),
        reflected.sourceVersion(),
        fragments,
        read,
        added,
        removed,
        version(at(view)),
        failed);
  }

  /**
   * Refreshes a partitioned view: the groups with a row in a changed fragment (a new or changed
   * row's group now, a deleted or changed row's group before) are deleted and computed again whole,
   * in one commit; other groups are not read.
   */
  private static Outcome refreshGroups(
      ResolvedLanceTable view,
      ViewState state,
      ViewQuery query,
      ResolvedLanceTable source,
      SourceNow now,
      List<Integer> compute,
      List<Integer> gone,
      List<Integer> thinned,
      RefreshJob job,
      RefreshLock lock,
      RowFailures failures) {
    BackfillControl control = job.control();
    TableLocation viewAt = at(view);
    String key = state.partitionBy();
    GroupKeys keys = new GroupKeys(at(source), key);
    for (Integer id : compute) {
      keys.addAll(now.version(), id, null);
      if (state.files().containsKey(id)) {
        keys.addAll(state.sourceVersion(), id, null);
      }
    }
    for (Integer id : gone) {
      keys.addAll(state.sourceVersion(), id, null);
    }
    for (Integer id : thinned) {
      keys.addAll(state.sourceVersion(), id, keys.liveAddresses(now.version(), id));
    }
    // Groups skipped before (their UDF failed) are computed again, alone when nothing else is.
    java.util.LinkedHashSet<Object> wanted = new java.util.LinkedHashSet<>(keys.values());
    wanted.addAll(state.failedGroups());
    List<Object> affected = new ArrayList<>(wanted);
    Set<Object> failedGroups = new java.util.LinkedHashSet<>(state.failedGroups());
    long removed = 0;
    long added = 0;
    long read = 0;
    if (!affected.isEmpty()) {
      job.progress(0, affected.size(), 0, 0);
    }
    for (int at = 0; at < affected.size(); at += 1000) {
      List<Object> group = affected.subList(at, Math.min(affected.size(), at + 1000));
      lock.check();
      String in =
          "`"
              + key
              + "` IN ("
              + group.stream().map(GroupKeys::lanceLiteral).collect(Collectors.joining(", "))
              + ")";
      removed += deleteWhere(viewAt, in);
      read += countRows(at(source), in);
      long before = countRows(viewAt, null);
      view.invalidate();
      append(
          query,
          query.groups(group.stream().map(GroupKeys::sparkLiteral).toList()),
          view,
          group.size() + " group(s)",
          at,
          affected.size(),
          "groups",
          control);
      view.invalidate();
      added += countRows(viewAt, null) - before;
      failedGroups.removeAll(group);
      failedGroups.addAll(failures.takeGroups(group, viewAt, state.failedGroups()));
      job.progress(at + group.size(), affected.size(), read, 0); // groups: their rows unknown
      failures.check(
          "the groups before these are committed; the view's state keeps its source version, so"
              + " the next refresh computes these groups again");
    }
    return finish(
        view,
        source,
        state.at(now.version(), now.files(), now.deletions()).withFailedGroups(failedGroups),
        compute.size(),
        read,
        added,
        removed,
        failures.failed());
  }

  /** Every group key of the source's live rows now (a partitioned view's build computed all). */
  private static List<Object> allKeys(TableLocation source, String key, SourceNow now) {
    GroupKeys keys = new GroupKeys(source, key);
    for (Integer id : now.files().keySet()) {
      keys.addAll(now.version(), id, null);
    }
    return keys.values();
  }

  /** {@code DROP MATERIALIZED VIEW [IF EXISTS] view}: the table and its folder. */
  public static boolean drop(SparkSession spark, List<String> viewName, boolean ifExists) {
    if (!exists(spark, viewName)) {
      if (ifExists) {
        return false;
      }
      throw new LancetException(
          ErrorCode.LANCET_TABLE_NOT_FOUND,
          "materialized view " + String.join(".", viewName) + " does not exist");
    }
    ResolvedLanceTable view = TableNameResolver.resolve(spark, viewName);
    stateOf(view); // refuses a plain table
    dropTableAndFolder(spark, view);
    return true;
  }

  /**
   * Pins the session's jars for the view's 1:N UDFs: published to the source's jar store (the view
   * does not exist yet, and every executor of a refresh reads the source's storage), the code every
   * build and refresh of the view runs. Null when no UDF class is in the session's jars (they are
   * on the engine's class path).
   */
  private static FunctionCode pinFunctions(
      SparkSession spark, String display, String sql, ResolvedLanceTable source) {
    LancetConf conf = LancetConf.of(spark);
    TableLocation location = new TableLocation(source.datasetUri(), source.storageOptions());
    for (String className : ViewQuery.functionClasses(spark, display, sql)) {
      PinnedCode.Pinned pinned =
          PinnedCode.pin(location, className, conf.udfClassLoader(), conf.classPolicy());
      if (!pinned.jars().isEmpty()) {
        return new FunctionCode(source.datasetUri(), pinned.jars(), source.catalog().name());
      }
    }
    return null;
  }

  /** The session's short names of 1:N UDFs that {@code query} uses, with their definitions. */
  private static Map<String, TableFunctions.Definition> functionsOf(
      SparkSession spark, ViewQuery query) {
    Map<String, TableFunctions.Definition> out = new java.util.TreeMap<>();
    for (String name : query.functionNames()) {
      TableFunctions.definitionOf(spark, name).ifPresent(d -> out.put(name, d));
    }
    return out;
  }

  /**
   * Defines in this session the short names the view's query uses that it does not have (a session
   * other than the one that created the view): the view refreshes with what it was created with.
   */
  private static void defineFunctions(SparkSession spark, ViewState state) {
    if (state.functions() == null) {
      return;
    }
    state
        .functions()
        .forEach(
            (name, definition) -> {
              if (!TableFunctions.exists(spark, name)) {
                TableFunctions.register(spark, name, definition);
              }
            });
  }

  /** Drops what a failed CREATE left of the view, if anything; its own failure is only logged. */
  private static void dropLeftover(SparkSession spark, List<String> viewName) {
    try {
      if (exists(spark, viewName)) {
        dropTableAndFolder(spark, TableNameResolver.resolve(spark, viewName));
      }
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(MaterializedViews.class)
          .warn("cannot drop what a failed CREATE left of {}: {}", viewName, e.toString());
    }
  }

  private static void dropTableAndFolder(SparkSession spark, ResolvedLanceTable view) {
    spark.sql("DROP TABLE " + quoted(view));
    try {
      Folders.delete(view.datasetUri(), view.storageOptions());
    } catch (IOException e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR,
          "dropped "
              + view.displayName()
              + " but cannot delete its folder "
              + view.datasetUri()
              + ": "
              + e.getMessage());
    }
  }

  /** Where {@code table} lives, with its catalog's storage options. */
  private static TableLocation at(ResolvedLanceTable table) {
    return new TableLocation(table.datasetUri(), table.storageOptions());
  }

  /** The materialized views among the tables of {@code namespace} (the session's when empty). */
  public static List<Listed> list(SparkSession spark, List<String> namespace) {
    String in = namespace.isEmpty() ? "" : " IN " + String.join(".", namespace);
    List<Listed> out = new ArrayList<>();
    for (Row r : spark.sql("SHOW TABLES" + in).collectAsList()) {
      ResolvedLanceTable view;
      try {
        view = TableNameResolver.resolve(spark, tableName(namespace, r));
      } catch (RuntimeException notLance) {
        continue;
      }
      ViewState state = ViewState.read(at(view));
      if (state == null) {
        continue;
      }
      long current = -1;
      boolean fresh = false;
      try {
        SourceNow now =
            SourceNow.of(
                new ResolvedLanceTable(null, null, state.sourceUri(), view.storageOptions()),
                state.sourceColumns());
        current = now.version();
        fresh = now.files().equals(state.files()) && now.deletions().equals(state.deletions());
      } catch (RuntimeException sourceGone) {
        // the source was dropped: the view is not fresh, and has no current version
      }
      out.add(
          new Listed(view.displayName(), state.source(), state.sourceVersion(), current, fresh));
    }
    return out;
  }

  private static List<String> tableName(List<String> namespace, Row r) {
    List<String> name = new ArrayList<>(namespace);
    if (namespace.isEmpty() && r.length() > 0 && !r.getString(0).isEmpty()) {
      name.addAll(Arrays.asList(r.getString(0).split("\\.")));
    }
    name.add(r.getString(1));
    return name;
  }

  private static ViewState stateOf(ResolvedLanceTable view) {
    ViewState state = ViewState.read(at(view));
    if (state == null) {
      throw new LancetException(
          ErrorCode.LANCET_UNSUPPORTED,
          view.displayName() + " is a table, not a materialized view");
    }
    return state;
  }

  private static boolean exists(SparkSession spark, List<String> name) {
    try {
      TableNameResolver.resolve(spark, name);
      return true;
    } catch (LancetException e) {
      if (e.code() == ErrorCode.LANCET_TABLE_NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  private static String quoted(ResolvedLanceTable t) {
    return Stream.concat(
            Stream.of(t.catalog().name()),
            Stream.concat(
                Arrays.stream(t.identifier().namespace()), Stream.of(t.identifier().name())))
        .map(p -> "`" + p.replace("`", "``") + "`")
        .collect(Collectors.joining("."));
  }

  /** Views live on the local disk or in S3, where a refresh's lease takes conditional writes. */
  private static void refuseUnsupportedStore(String view, String uri) {
    if (uri.contains("://") && !uri.startsWith("file:") && !StoredObjects.onS3(uri)) {
      throw new LancetException(
          ErrorCode.LANCET_UNSUPPORTED,
          "materialized view "
              + view
              + ": tables on "
              + uri.substring(0, uri.indexOf("://") + 3)
              + " are not supported yet, only on the local disk and S3 ("
              + uri
              + ")");
    }
  }

  /** The Lance filter of the view's rows derived from source fragments {@code ids}. */
  private static String inFragments(List<Integer> ids) {
    return ids.stream()
        .map(
            id ->
                "("
                    + ViewQuery.SOURCE_ROW
                    + " >= "
                    + ((long) id << 32)
                    + " AND "
                    + ViewQuery.SOURCE_ROW
                    + " < "
                    + (((long) id + 1) << 32)
                    + ")")
        .collect(Collectors.joining(" OR "));
  }

  /** Deletes the view's rows matching {@code filter}; a delete of nothing makes no version. */
  private static long deleteWhere(TableLocation viewAt, String filter) {
    long rows = countRows(viewAt, filter);
    if (rows > 0) {
      try (org.lance.Dataset view = LanceDatasets.open(viewAt.uri(), viewAt.storageOptions())) {
        view.delete(filter);
      }
    }
    return rows;
  }

  /** Removes the derived rows of fragment {@code id}'s rows the source no longer has. */
  private static long removeDeletedRows(
      TableLocation viewAt, TableLocation sourceAt, long version, int id) {
    Set<Long> live = new HashSet<>();
    String any = null;
    try (org.lance.Dataset source =
        LanceDatasets.open(sourceAt.uri(), sourceAt.storageOptions(), version)) {
      any = source.getLanceSchema().fields().get(0).getName();
    }
    FragmentRows.forEach(sourceAt, version, id, any, null, (b, i, address) -> live.add(address));
    Set<Long> gone = new TreeSet<>();
    FragmentRows.forEach(
        viewAt,
        null,
        null,
        ViewQuery.SOURCE_ROW,
        inFragments(List.of(id)),
        (b, i, address) -> {
          long row = ((BigIntVector) b.getVector(ViewQuery.SOURCE_ROW)).get(i);
          if (!live.contains(row)) {
            gone.add(row);
          }
        });
    long removed = 0;
    List<Long> all = new ArrayList<>(gone);
    for (int at = 0; at < all.size(); at += 1000) {
      String in =
          all.subList(at, Math.min(all.size(), at + 1000)).stream()
              .map(String::valueOf)
              .collect(Collectors.joining(", "));
      removed += deleteWhere(viewAt, ViewQuery.SOURCE_ROW + " IN (" + in + ")");
    }
    return removed;
  }

  /** Appends a refresh's rows to the view; a failure says what is committed and how to go on. */
  private static void append(
      ViewQuery query,
      org.apache.spark.sql.Dataset<Row> rows,
      ResolvedLanceTable view,
      String what,
      int done,
      int total,
      String unit,
      BackfillControl control) {
    if (control.isCancelled()) {
      throw stopped(
          view, ErrorCode.LANCET_BACKFILL_CANCELLED, control.reason(), null, done, total, unit);
    }
    try {
      query.write(() -> rows.writeTo(view.displayName()).append());
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new LancetException(
          ErrorCode.LANCET_TABLE_NOT_FOUND,
          "materialized view " + view.displayName() + " was dropped during its refresh");
    } catch (Exception e) { // Spark's SparkException too, which Java sees as checked
      if (nothingWritten(e)) {
        return; // lance-spark refuses to commit an append of no rows: there was nothing to add
      }
      String cancelled = control.isCancelled() ? control.reason() : cancellation(e);
      throw cancelled != null
          ? stopped(view, ErrorCode.LANCET_BACKFILL_CANCELLED, cancelled, e, done, total, unit)
          : stopped(
              view,
              ErrorCode.LANCET_UDF_FAILED,
              "computing " + what + " failed: " + rootMessage(e),
              e,
              done,
              total,
              unit);
    }
  }

  /**
   * A refresh stopped before its {@code done + 1}th of {@code total} groups: cancelled (with the
   * cancel's reason as {@code why}) or failed ({@code why} says how), and what is committed.
   */
  private static LancetException stopped(
      ResolvedLanceTable view,
      ErrorCode code,
      String why,
      Throwable cause,
      int done,
      int total,
      String unit) {
    return new LancetException(
        code,
        cause,
        "materialized view "
            + view.displayName()
            + (code == ErrorCode.LANCET_BACKFILL_CANCELLED
                ? ": the refresh was cancelled (" + why + ")"
                : ": " + why)
            + "; "
            + done
            + " of "
            + total
            + " changed "
            + unit
            + " are committed, and REFRESH again "
            + (unit.equals("fragments") ? "resumes after them" : "computes the groups again"));
  }

  /**
   * Whether a failed append was lance-spark refusing to commit no rows (its commit checks for
   * fragments after the job wrote none: the changed rows gave no derived rows).
   */
  private static boolean nothingWritten(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IllegalArgumentException
          && "fragments cannot be null or empty".equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Spark's words when the append's job was cancelled (Ctrl-C, a notebook's Cancel, the job group,
   * the UI), else null.
   */
  private static String cancellation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.matches("(?s)Job \\d+ cancelled.*")) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
      }
    }
    return null;
  }

  /** The first line of the cause to show: Lancet's own words (a UDF's failure), else the root's. */
  private static String rootMessage(Throwable e) {
    Throwable root = e;
    Throwable ours = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      root = t;
      if (t instanceof LancetException && ours == null) {
        ours = t;
      }
    }
    Throwable shown = ours != null ? ours : root;
    String message = shown.getMessage() == null ? shown.toString() : shown.getMessage();
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static long countRows(TableLocation table, String filter) {
    try (org.lance.Dataset d = LanceDatasets.open(table.uri(), table.storageOptions())) {
      return filter == null ? d.countRows() : d.countRows(filter);
    }
  }

  /** The Lance version of the table at {@code table}. */
  static long version(TableLocation table) {
    try (org.lance.Dataset d = LanceDatasets.open(table.uri(), table.storageOptions())) {
      return d.version();
    }
  }

  /**
   * The source as a refresh sees it: its version, its schema (Arrow's JSON), and per fragment what
   * the view depends on.
   */
  private record SourceNow(
      long version,
      String schema,
      Map<Integer, String> files,
      Map<Integer, Long> deletions,
      Map<Integer, Long> liveRows) {
    static SourceNow of(ResolvedLanceTable source, List<String> columns) {
      try (org.lance.Dataset d = LanceDatasets.open(source.datasetUri(), source.storageOptions())) {
        Set<Integer> ids = new HashSet<>();
        for (LanceField f : d.getLanceSchema().fields()) {
          if (columns.contains(f.getName())) {
            collectIds(f, ids);
          }
        }
        Map<Integer, String> files = new LinkedHashMap<>();
        Map<Integer, Long> deletions = new LinkedHashMap<>();
        Map<Integer, Long> live = new HashMap<>();
        for (Fragment fragment : d.getFragments()) {
          FragmentMetadata meta = fragment.metadata();
          Set<String> read = new TreeSet<>();
          for (DataFile file : meta.getFiles()) {
            if (Arrays.stream(file.getFields()).anyMatch(ids::contains)) {
              read.add(file.getPath());
            }
          }
          files.put(meta.getId(), meta.getPhysicalRows() + "|" + String.join(",", read));
          deletions.put(meta.getId(), meta.getNumDeletions());
          live.put(meta.getId(), meta.getNumRows());
        }
        return new SourceNow(d.version(), d.getSchema().toJson(), files, deletions, live);
      }
    }

    private static void collectIds(LanceField f, Set<Integer> ids) {
      ids.add(f.getId());
      f.getChildren().forEach(c -> collectIds(c, ids));
    }
  }
}
