package dev.lancet.backfill;

import dev.lancet.backfill.engine.WorkerEngine;
import dev.lancet.backfill.plan.BackfillSettings;
import dev.lancet.backfill.run.BackfillExplainer;
import dev.lancet.backfill.run.BackfillRunner;
import dev.lancet.backfill.run.TaskFusion;
import dev.lancet.lance.TableLocation;
import dev.lancet.ray.RayEngine;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.LancetOption;
import dev.lancet.udf.OnError;
import dev.lancet.udf.UdfClassPolicy;
import java.util.Map;
import java.util.Objects;

/**
 * Computes a virtual column of a Lance table and commits its data, fragment by fragment. Usable
 * without Spark:
 *
 * <pre>{@code
 * BackfillResult r = Backfill.of("/data/videos.lance", "area").where("x > 1000").batchSize(4096).run();
 * }</pre>
 *
 * <p>Work runs as Ray tasks: in the embedded LOCAL mode by default, or on the cluster named by the
 * {@code ray.address} system property.
 */
public final class Backfill {
  static {
    dev.lancet.lance.LanceJvm.prepare(); // Java API users: before Lance loads, if it has not
  }

  /** Default rows per batch handed to the UDF. */
  public static final int DEFAULT_BATCH_SIZE = 8192;

  /** Default time between checkpoints of a fragment in progress. */
  public static final java.time.Duration DEFAULT_CHECKPOINT_INTERVAL =
      java.time.Duration.ofSeconds(10);

  /** Default longest time finished fragments wait for a commit. */
  public static final java.time.Duration DEFAULT_COMMIT_INTERVAL = java.time.Duration.ofMinutes(5);

  private TableLocation table;
  private final String column;
  private Integer batchSize; // null: the column's, else DEFAULT_BATCH_SIZE
  private int commitGranularity; // 0: adapts to the job
  private java.time.Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
  private int concurrency = Runtime.getRuntime().availableProcessors();
  private long taskSize;
  private long limit;
  private String filter;
  private boolean checkpoints = true;
  private java.time.Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
  private java.util.function.Consumer<BackfillProgress> progress = Backfill::log;
  private String tableName;
  private ClassLoader classLoader;
  private WorkerEngine engine = RayEngine.INSTANCE;
  private UdfClassPolicy classPolicy;
  private OnError onError;
  private Double maxErrorFraction;
  private BackfillControl control = new BackfillControl();

  private Backfill(TableLocation table, String column) {
    Objects.requireNonNull(table.uri(), "datasetUri");
    this.table = table;
    this.column = Objects.requireNonNull(column, "column");
  }

  /** A backfill of {@code column} of the Lance dataset at {@code datasetUri}. */
  public static Backfill of(String datasetUri, String column) {
    return of(
        new TableLocation(Objects.requireNonNull(datasetUri, "datasetUri"), Map.of()), column);
  }

  /**
   * A backfill of {@code column} of the Lance dataset at {@code table}, with its storage options.
   */
  public static Backfill of(TableLocation table, String column) {
    return new Backfill(Objects.requireNonNull(table, "table"), column);
  }

  /** Storage options passed to Lance (credentials, endpoints). */
  public Backfill storageOptions(Map<String, String> options) {
    this.table = new TableLocation(table.uri(), Map.copyOf(options));
    return this;
  }

  /**
   * Rows per batch handed to the UDF in this run. A run's option wins over the column's registered
   * {@code batch_size}, which wins over the class's {@code @Udf(batchSize)}; without any, {@value
   * #DEFAULT_BATCH_SIZE}.
   */
  public Backfill batchSize(int rows) {
    LancetOption.BATCH_SIZE.check(rows, "");
    this.batchSize = rows;
    return this;
  }

  /**
   * Fragments committed together. By default it adapts to the job: {@code max(64, ceil(F / 20))}
   * for a job of F fragments, so a job makes about 20 commits whatever its size (each commit
   * rewrites the table's manifest, whose size grows with the table).
   */
  public Backfill commitGranularity(int fragments) {
    LancetOption.COMMIT_GRANULARITY.check(fragments, "");
    this.commitGranularity = fragments;
    return this;
  }

  /**
   * The longest time finished fragments wait for a commit (default 5 minutes), so a long job's
   * results show in the table as it goes, even before a commit group fills.
   */
  public Backfill commitInterval(java.time.Duration interval) {
    LancetException.check(
        !interval.isNegative() && !interval.isZero(),
        ErrorCode.LANCET_INVALID_OPTION,
        "option 'commit_interval' must be positive, got %s",
        interval);
    this.commitInterval = interval;
    return this;
  }

  /**
   * Computes only rows matching a Lance filter, e.g. {@code starts_with(filename, 'a')}; other rows
   * keep their current value. The filter may name virtual columns.
   */
  public Backfill where(String lanceFilter) {
    this.filter = lanceFilter == null || lanceFilter.isBlank() ? null : lanceFilter.strip();
    return this;
  }

  private static void log(BackfillProgress p) {
    if (!p.fragmentFinished()) {
      return; // a line per fragment in the log; ticks are for consoles
    }
    org.slf4j.LoggerFactory.getLogger(Backfill.class)
        .info(
            "backfill {}: {}/{} fragments, {} rows, {} rows/s",
            p.column(),
            p.fragmentsDone(),
            p.fragmentsTotal(),
            p.rowsDone(),
            Math.round(p.rowsPerSecond()));
  }

  /**
   * Receives progress after each fragment and, while fragments are computed, about once a second
   * (instead of the default log line per fragment).
   */
  public Backfill onProgress(java.util.function.Consumer<BackfillProgress> listener) {
    this.progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** Workers (Ray actors) computing at once; default: the machine's cores. */
  public Backfill concurrency(int workers) {
    LancetOption.CONCURRENCY.check(workers, "");
    this.concurrency = workers;
    return this;
  }

  /**
   * Rows one task computes at most: a fragment of more rows is cut into row ranges that different
   * workers compute at once, then assembled into its column file. Default: about a quarter of each
   * worker's share of the job, at least 1,024 rows, so every worker has work even on a table of one
   * big fragment.
   */
  public Backfill taskSize(long rows) {
    LancetOption.TASK_SIZE.check((int) Math.min(Integer.MAX_VALUE, rows), "");
    this.taskSize = rows;
    return this;
  }

  /**
   * Makes this a pilot run: it computes and commits at most {@code rows} of the rows in scope (the
   * first ones, fragment by fragment), to try a UDF on the real table before the full run, which
   * then does not compute them again. The job records its rate and its tasks' peak memory, which
   * {@link #explain()} then uses. A pilot is not checkpointed (it is small by intent) and is not
   * split into row ranges.
   */
  public Backfill limit(long rows) {
    LancetException.check(
        rows > 0,
        ErrorCode.LANCET_INVALID_OPTION,
        "LIMIT must be a positive number of rows, got %s",
        rows);
    this.limit = rows;
    return this;
  }

  /**
   * Whether work is checkpointed (default: yes), so a failed or killed run resumes without redoing
   * it: each finished fragment's column file is kept and recorded before the commit, and a fragment
   * in progress saves its finished batches every {@link #checkpointInterval}. Without, a failed run
   * recomputes every fragment it had not committed; committed fragments are recorded either way, so
   * reruns and incremental backfills skip them.
   */
  public Backfill checkpoints(boolean enabled) {
    this.checkpoints = enabled;
    return this;
  }

  /**
   * How often a fragment in progress saves its finished batches (default 10 s): the most work a
   * crash can lose per worker. Zero saves every batch. A fragment finished sooner saves none: its
   * column file is the checkpoint.
   */
  public Backfill checkpointInterval(java.time.Duration interval) {
    LancetException.check(
        !interval.isNegative(),
        ErrorCode.LANCET_INVALID_OPTION,
        "option 'checkpoint_interval' must not be negative, got %s",
        interval);
    this.checkpointInterval = interval;
    return this;
  }

  /**
   * What computes the tasks (default: Ray, embedded or the cluster {@code lancet.ray.address}
   * names). The connector's Spark engine runs them on Spark's executors.
   */
  public Backfill engine(WorkerEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
    return this;
  }

  /** The table's name as users write it, for messages (default: its URI). */
  public Backfill tableName(String name) {
    this.tableName = name;
    return this;
  }

  /**
   * Where the UDF class is loaded from (default: the thread's context class loader): on the driver,
   * by embedded workers, and, for the jars it adds beyond the JVM class path (e.g. Spark's {@code
   * ADD JAR}), by cluster workers, which receive those jars.
   */
  public Backfill classLoader(ClassLoader loader) {
    this.classLoader = Objects.requireNonNull(loader, "loader");
    return this;
  }

  /**
   * Which UDF classes may be loaded (default: the {@code lancet.udf.allowed-packages} JVM
   * property).
   */
  public Backfill classPolicy(UdfClassPolicy policy) {
    this.classPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * For this run only: what a row whose UDF call throws gets, {@code fail} (the backfill fails
   * naming the row), {@code null} (the row gets null and is counted) or {@code retry} (called
   * again, as the column's retry settings say); default: the column's.
   */
  public Backfill onError(String policy) {
    return onError((OnError) LancetOption.ON_ERROR.parse(policy, ""));
  }

  /** For this run only: what a row whose UDF call throws gets (see {@link #onError(String)}). */
  public Backfill onError(OnError policy) {
    this.onError = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * For this run only: with {@code on_error = null}, the failed-row fraction above which the
   * backfill fails.
   */
  public Backfill maxErrorFraction(double fraction) {
    LancetOption.MAX_ERROR_FRACTION.check(fraction, "");
    this.maxErrorFraction = fraction;
    return this;
  }

  /** Lets another thread cancel this backfill ({@link BackfillControl#cancel}). */
  public Backfill control(BackfillControl newControl) {
    this.control = Objects.requireNonNull(newControl, "control");
    return this;
  }

  /**
   * Runs the backfill to the end.
   *
   * @throws BackfillCancelledException when it was cancelled (its control, {@link
   *     RunningBackfills}, or {@code CANCEL BACKFILL} from another session)
   */
  public BackfillResult run() {
    return run(engine);
  }

  private BackfillResult run(WorkerEngine on) {
    return run(on, null);
  }

  private BackfillResult run(WorkerEngine on, dev.lancet.backfill.run.StatementCommits together) {
    String jobId = java.util.UUID.randomUUID().toString();
    RunningBackfills.started(jobId, control);
    try {
      return new BackfillRunner(column, settings(jobId), on).together(together).run();
    } finally {
      RunningBackfills.ended(jobId);
    }
  }

  /**
   * Runs backfills of several columns of one table at once, each its own job (its plan, records,
   * checkpoints and commits, exactly as {@link #run()}), with one scan for the columns that compute
   * the same rows: their first tasks wait for each other, and a worker computes the columns' rows
   * of a fragment together, reading the union of their inputs once ({@link TaskFusion}). Backfills
   * of other tables or engines, and pilot runs ({@link #limit}), run one after another instead.
   *
   * @return each backfill's result, in order
   * @throws RuntimeException the first failure in order, once every backfill has ended
   */
  public static java.util.List<BackfillResult> runTogether(java.util.List<Backfill> backfills) {
    if (!fusable(backfills)) {
      return backfills.stream().map(Backfill::run).toList();
    }
    // Columns sharing a file (an UPDATE's) would each replace the file the other planned on: those
    // run one after the other, after the rest.
    java.util.Set<String> sharing =
        dev.lancet.backfill.plan.SharedColumnFiles.among(
            backfills.get(0).table, backfills.stream().map(b -> b.column).toList());
    if (!sharing.isEmpty()) {
      java.util.List<Backfill> apart =
          backfills.stream().filter(b -> !sharing.contains(b.column)).toList();
      java.util.Map<Backfill, BackfillResult> done = new java.util.IdentityHashMap<>();
      java.util.List<BackfillResult> together = runFused(apart);
      for (int i = 0; i < apart.size(); i++) {
        done.put(apart.get(i), together.get(i));
      }
      for (Backfill b : backfills) {
        if (sharing.contains(b.column)) {
          done.put(b, b.run());
        }
      }
      return backfills.stream().map(done::get).toList();
    }
    return runFused(backfills);
  }

  private static java.util.List<BackfillResult> runFused(java.util.List<Backfill> backfills) {
    if (backfills.size() < 2) {
      return backfills.stream().map(Backfill::run).toList();
    }
    int n = backfills.size();
    TaskFusion fusion = new TaskFusion(backfills.get(0).engine, n);
    dev.lancet.backfill.run.StatementCommits commits =
        new dev.lancet.backfill.run.StatementCommits();
    BackfillResult[] results = new BackfillResult[n];
    Throwable[] failures = new Throwable[n];
    java.util.List<Thread> threads = new java.util.ArrayList<>();
    for (int i = 1; i < n; i++) {
      int at = i;
      Thread t =
          new Thread(
              () -> runMember(backfills.get(at), fusion, commits, at, results, failures),
              "lancet-backfill-" + backfills.get(i).column);
      threads.add(t);
      t.start();
    }
    runMember(backfills.get(0), fusion, commits, 0, results, failures);
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the others end on their own: a cancel stops them
        backfills.forEach(b -> b.control.cancel("interrupted"));
        joinQuietly(t);
      }
    }
    for (Throwable f : failures) {
      if (f instanceof RuntimeException e) {
        throw e;
      }
      if (f instanceof Error e) {
        throw e;
      }
    }
    return java.util.List.of(results);
  }

  private static void runMember(
      Backfill backfill,
      TaskFusion fusion,
      dev.lancet.backfill.run.StatementCommits commits,
      int index,
      BackfillResult[] results,
      Throwable[] failures) {
    try {
      results[index] = backfill.run(fusion.member(index), commits);
    } catch (Throwable t) {
      failures[index] = t;
    } finally {
      fusion.ended(index);
    }
  }

  private static void joinQuietly(Thread t) {
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException again) {
        // keep waiting: its job must end before the statement does
      }
    }
  }

  /** Whether backfills can share scans: two or more of one table, engine, and no pilot. */
  private static boolean fusable(java.util.List<Backfill> backfills) {
    if (backfills.size() < 2) {
      return false;
    }
    Backfill first = backfills.get(0);
    return backfills.stream()
        .allMatch(
            b ->
                b.table.uri().equals(first.table.uri())
                    && b.engine.name().equals(first.engine.name())
                    && b.limit == 0);
  }

  /**
   * What {@link #run()} would do now, computing and recording nothing: the rows it would compute by
   * why, its fragments, tasks and work groups, its engine and workers, its commits, the code it
   * would run and the time it would take at the column's last job's rate.
   */
  public BackfillExplanation explain() {
    return BackfillExplainer.explain(column, settings("explain"), engine);
  }

  private BackfillSettings settings(String jobId) {
    ClassLoader loader =
        classLoader != null
            ? classLoader
            : Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : Backfill.class.getClassLoader();
    return new BackfillSettings(
        table,
        tableName,
        batchSize,
        commitGranularity,
        commitInterval.toMillis(),
        concurrency,
        taskSize,
        limit,
        filter,
        checkpoints && limit == 0,
        checkpointInterval.toMillis(),
        progress,
        loader,
        classPolicy != null ? classPolicy : UdfClassPolicy.fromSystemProperty(),
        dev.lancet.backfill.store.UdfCode.NONE,
        onError,
        maxErrorFraction,
        jobId,
        control);
  }

  /**
   * Whether Ray backfills of this JVM go to a Ray cluster (its address is configured) rather than
   * Ray's LOCAL mode in this JVM: a cluster's workers have only Lancet's and the user's code.
   */
  public static boolean workersOnRayCluster() {
    return RayEngine.INSTANCE.onCluster();
  }

  /**
   * Stops the workers' engine this JVM started (Ray's LOCAL runtime, or its connection to a
   * cluster); the next backfill starts it again. For a session's or a program's end.
   */
  public static void shutdownWorkers() {
    RayEngine.INSTANCE.shutdown();
  }
}
