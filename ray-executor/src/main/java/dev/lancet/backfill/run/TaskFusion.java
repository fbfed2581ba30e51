package dev.lancet.backfill.run;

import dev.lancet.backfill.engine.WorkTask;
import dev.lancet.backfill.engine.WorkerEngine;
import dev.lancet.backfill.engine.Workers;
import dev.lancet.backfill.plan.FusedGroups;
import dev.lancet.backfill.plan.WorkGroup;
import dev.lancet.udf.UdfResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the backfills of several columns of one table, each run by its own {@link BackfillRunner} in
 * its own thread, share their scans: each runner's engine is a member of the fusion, and the first
 * tasks every member hands its workers wait until all members have either handed theirs or ended.
 * Then one pool runs them together, a task per run of rows: the groups of columns that compute the
 * same rows (same fragments, ranges and filter) go to one worker as one fused task, read by one
 * scan of the union of their inputs ({@link FusedGroups}); the others go as they are. Each result
 * goes back to its column's runner, which records, counts and commits it as always. What a runner
 * hands its workers later (split fragments' assemblies, a later round) runs on workers of its own.
 */
public final class TaskFusion {
  private static final Logger LOG = LoggerFactory.getLogger(TaskFusion.class);

  private final WorkerEngine engine;
  private final int members;
  private final Map<Integer, Submission> submitted = new LinkedHashMap<>();
  private final boolean[] arrived;
  private int arrivals;
  private boolean ran;
  private Workers running; // the shared pool while it runs, for cancels

  /** A fusion of {@code members} runners whose workers {@code engine} opens. */
  public TaskFusion(WorkerEngine engine, int members) {
    this.engine = engine;
    this.members = members;
    this.arrived = new boolean[members];
  }

  /** Member {@code index}'s engine: the fusion's, whose first run of tasks is shared. */
  public WorkerEngine member(int index) {
    return new MemberEngine(index);
  }

  /**
   * Member {@code index}'s runner has ended (its backfill returned or threw): the others no longer
   * wait for its tasks.
   */
  public void ended(int index) {
    arrive(index, null);
  }

  /** What a member's first {@link Workers#run} hands over. */
  private record Submission(
      List<WorkTask> tasks,
      Consumer<String> onResult,
      Consumer<RuntimeException> onFailure,
      BooleanSupplier cancelled,
      LongConsumer onRowsInFlight,
      Pool pool) {}

  /** The workers a member's runner asked its engine for. */
  private record Pool(int size, UdfResources resources, String udfVersion, ClassLoader loader) {
    Workers open(WorkerEngine engine) {
      return engine.open(size, resources, udfVersion, loader);
    }
  }

  /**
   * Records a member's arrival (its first tasks, or its end without any); the last to arrive runs
   * the shared pool. Returns once the shared run is over.
   */
  private void arrive(int index, Submission submission) {
    boolean leader;
    synchronized (this) {
      if (arrived[index]) {
        return;
      }
      arrived[index] = true;
      arrivals++;
      if (submission != null) {
        submitted.put(index, submission);
      }
      leader = arrivals == members;
    }
    if (leader) {
      try {
        runShared();
      } catch (RuntimeException e) {
        // The shared pool could not run (an engine that fails to open): every member whose
        // tasks it held fails with it, or its runner would take no results for success.
        List<Submission> subs;
        synchronized (this) {
          subs = new ArrayList<>(submitted.values());
        }
        subs.forEach(sub -> sub.onFailure().accept(e));
      } finally {
        synchronized (this) {
          ran = true;
          notifyAll();
        }
      }
      return;
    }
    if (submission == null) {
      return; // an ended member waits for nobody
    }
    synchronized (this) {
      while (!ran) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          // Its tasks run on the shared pool whatever happens here; its runner sees the result.
        }
      }
    }
  }

  private void runShared() {
    List<Submission> subs;
    synchronized (this) {
      subs = new ArrayList<>(submitted.values());
    }
    if (subs.isEmpty()) {
      return;
    }
    Submission first = subs.get(0);
    boolean fusable =
        subs.stream().allMatch(s -> Objects.equals(s.pool().resources(), first.pool().resources()));
    if (!fusable) { // workers with other resources: each member's tasks on its own pool
      for (Submission s : subs) {
        try (Workers own = s.pool().open(engine)) {
          own.run(s.tasks(), s.onResult(), s.onFailure(), s.cancelled(), s.onRowsInFlight());
        }
      }
      return;
    }
    Map<String, Submission> byColumn = new LinkedHashMap<>();
    subs.forEach(s -> byColumn.put(s.tasks().get(0).column(), s));
    List<WorkTask> tasks = fuse(subs);
    int size = Math.min(subs.stream().mapToInt(s -> s.pool().size()).max().orElse(1), tasks.size());
    String versions =
        subs.stream().map(s -> s.pool().udfVersion()).distinct().collect(Collectors.joining(","));
    LOG.info(
        "backfill of columns {}: {} task(s) of {} fused on {} worker(s)",
        byColumn.keySet(),
        tasks.size(),
        subs.stream().mapToInt(s -> s.tasks().size()).sum(),
        size);
    try (Workers pool =
        new Pool(size, first.pool().resources(), versions, first.pool().loader()).open(engine)) {
      synchronized (this) {
        running = pool;
      }
      pool.run(
          tasks,
          result -> route(result, byColumn),
          failure -> subs.forEach(s -> s.onFailure().accept(failure)),
          () -> subs.stream().anyMatch(s -> s.cancelled().getAsBoolean()),
          rows -> first.onRowsInFlight().accept(rows));
    } finally {
      synchronized (this) {
        running = null;
      }
    }
  }

  /**
   * The members' tasks as one list: groups of different columns over the same rows become one fused
   * task, in the order the rows first appear; the rest stay as they are.
   */
  static List<WorkTask> fuse(List<Submission> subs) {
    Map<String, List<WorkGroup>> byRows = new LinkedHashMap<>();
    for (Submission s : subs) {
      for (WorkTask t : s.tasks()) {
        for (WorkGroup g : t.groups()) {
          byRows.computeIfAbsent(FusedGroups.rowsKey(g), k -> new ArrayList<>()).add(g);
        }
      }
    }
    return byRows.values().stream().map(WorkTask::fused).toList(); // each result names its columns
  }

  /** Hands a task's result to each of its columns' runners. */
  private static void route(String result, Map<String, Submission> byColumn) {
    FusedGroups.Results results = FusedGroups.Results.fromJson(result);
    for (int i = 0; i < results.columns().size(); i++) {
      byColumn.get(results.columns().get(i)).onResult().accept(results.results().get(i));
    }
  }

  private synchronized void tellCancelled(String jobId) {
    if (running != null) {
      running.tellCancelled(jobId);
    }
  }

  /** A member's engine: the fusion's engine, with its first run shared. */
  private final class MemberEngine implements WorkerEngine {
    private final int index;

    MemberEngine(int index) {
      this.index = index;
    }

    @Override
    public String name() {
      return engine.name();
    }

    @Override
    public void start() {
      engine.start();
    }

    @Override
    public boolean inDriverJvm() {
      return engine.inDriverJvm();
    }

    @Override
    public String workerCodeUri() {
      return engine.workerCodeUri();
    }

    @Override
    public Workers open(int size, UdfResources resources, String udfVersion, ClassLoader loader) {
      return new MemberWorkers(index, new Pool(size, resources, udfVersion, loader));
    }

    @Override
    public void shutdown() {
      engine.shutdown();
    }
  }

  /** A member's workers: its first run is shared; later ones run on a pool of its own. */
  private final class MemberWorkers implements Workers {
    private final int index;
    private final Pool pool;
    private Workers own;

    MemberWorkers(int index, Pool pool) {
      this.index = index;
      this.pool = pool;
    }

    @Override
    public void run(
        List<WorkTask> tasks,
        Consumer<String> onResult,
        Consumer<RuntimeException> onFailure,
        BooleanSupplier cancelled,
        LongConsumer onRowsInFlight) {
      boolean first;
      synchronized (TaskFusion.this) {
        first = !arrived[index];
      }
      if (first && !tasks.isEmpty()) {
        arrive(index, new Submission(tasks, onResult, onFailure, cancelled, onRowsInFlight, pool));
        return;
      }
      if (own == null) {
        own = pool.open(engine);
      }
      own.run(tasks, onResult, onFailure, cancelled, onRowsInFlight);
    }

    @Override
    public void tellCancelled(String jobId) {
      TaskFusion.this.tellCancelled(jobId);
      if (own != null) {
        own.tellCancelled(jobId);
      }
    }

    @Override
    public void close() {
      if (own != null) {
        own.close();
      }
    }
  }
}
