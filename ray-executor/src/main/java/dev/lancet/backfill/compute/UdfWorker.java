package dev.lancet.backfill.compute;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.plan.FusedGroups;
import dev.lancet.backfill.plan.WorkGroup;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.backfill.store.JarStore;
import dev.lancet.backfill.store.UdfLoaders;
import dev.lancet.lance.Closing;
import dev.lancet.udf.CodeIdentity;
import dev.lancet.udf.ColumnUdf;
import dev.lancet.udf.ColumnUdfs;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.UdfClassPolicy;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A worker that computes fragments, a work group at a time: a Ray actor on a cluster, a pooled
 * object in LOCAL mode ({@code dev.lancet.ray.LocalWorkers}). It keeps one UDF instance per spec
 * version for its whole life, so a stateful UDF's {@code setup()} runs once per worker and its
 * {@code close()} once at the end, never per batch. It computes one unit at a time (the methods are
 * synchronized to make sure).
 *
 * <p>The UDF class is loaded from the driver's class loader in LOCAL mode, and on a cluster from
 * the unit's jars ({@link dev.lancet.backfill.store.UdfCode}) above the job's code; either way the
 * class's code must be the code the driver planned with (same bytecode and jar checksum).
 */
public class UdfWorker {
  /** This JVM's Java version, as job records show it. */
  public static final String JAVA = Runtime.version().toString();

  private final Map<String, ColumnUdf> udfs = new HashMap<>();
  private final OpenDatasets datasets = new OpenDatasets();
  private final ClassLoader driverLoader;

  /** The node this worker runs on, found at its first call. */
  private String node;

  /**
   * A worker; {@code driverLoader} is where a worker in the driver's JVM loads UDF classes from,
   * null for one that loads them from each unit's jars.
   */
  public UdfWorker(ClassLoader driverLoader) {
    this.driverLoader = driverLoader;
  }

  /**
   * Computes one work group; takes and returns JSON (a {@link WorkGroup}, its {@link
   * FragmentReceipt}s).
   */
  public synchronized String compute(String workGroupJson) {
    if (FusedGroups.isFused(workGroupJson)) {
      return computeFused(FusedGroups.fromJson(workGroupJson));
    }
    WorkGroup group = WorkGroup.fromJson(workGroupJson);
    return stamped(GroupTask.compute(group, udfOf(group, 0), datasets));
  }

  /**
   * Computes several columns' groups over the same rows from one scan ({@link FusedTask}); returns
   * each column's receipts ({@link FusedGroups.Results}).
   */
  private String computeFused(FusedGroups task) {
    // Columns of one spec (the same class, options and inputs) compute at once: each its own
    // instance, as a UDF instance is called from one thread at a time.
    Map<String, Integer> seen = new HashMap<>();
    List<ColumnUdf> columnUdfs = new java.util.ArrayList<>();
    for (WorkGroup g : task.fused()) {
      String version = UdfSpec.fromJson(g.first().specJson()).version();
      columnUdfs.add(udfOf(g, seen.merge(version, 1, Integer::sum) - 1));
    }
    List<List<FragmentReceipt>> receipts = FusedTask.compute(task, columnUdfs, datasets);
    return new FusedGroups.Results(
            task.fused().stream().map(WorkGroup::column).toList(),
            receipts.stream().map(this::stamped).toList())
        .toJson();
  }

  /**
   * The group's UDF instance: this worker's {@code copy}-th for the spec version (0 but for columns
   * of one spec in a fused task), made at its first group.
   */
  private ColumnUdf udfOf(WorkGroup group, int copy) {
    WorkUnit unit = group.first();
    checkJava(unit.driverJava(), node());
    UdfSpec spec = UdfSpec.fromJson(unit.specJson());
    String key = copy == 0 ? spec.version() : spec.version() + COPY + copy;
    return udfs.computeIfAbsent(key, v -> instantiate(unit, spec));
  }

  private static final String COPY = "#";

  /** The receipts as JSON, each naming the node and the Java that computed it. */
  private String stamped(List<FragmentReceipt> receipts) {
    String here = node();
    return FragmentReceipt.toJson(
        receipts.stream().map(r -> r.with(r.origin().onNode(here, JAVA))).toList());
  }

  /**
   * Fails before the first row when this JVM's Java major version is not the driver's: code
   * compiled, inspected and planned on the driver must mean the same here.
   */
  static void checkJava(String driverJava, String node) {
    if (driverJava == null) {
      return;
    }
    int driver = Runtime.Version.parse(driverJava).feature();
    if (driver != Runtime.version().feature()) {
      throw new BackfillException(
          ErrorCode.LANCET_ENVIRONMENT_MISMATCH,
          String.format(
              "node %s runs Java %s, the driver Java %s: a worker must run the driver's Java"
                  + " major version (%d); nothing was computed there",
              node, JAVA, driverJava, driver));
    }
  }

  private String node() {
    if (node == null) {
      node = nodeName();
    }
    return node;
  }

  /** The node this worker runs on, as receipts name it: "local" in the driver's JVM. */
  protected String nodeName() {
    return "local";
  }

  private ColumnUdf instantiate(WorkUnit unit, UdfSpec spec) {
    UdfClassPolicy policy = UdfClassPolicy.parse(unit.allowedPackages(), unit.allowedJars());
    policy.check(spec.className());
    policy.checkJars(spec.jars());
    ClassLoader loader =
        !spec.jars().isEmpty()
            ? UdfLoaders.of(unit.table(), spec.jars()) // pinned: in LOCAL mode and on a cluster
            : driverLoader != null
                ? driverLoader
                : (unit.code() == null ? dev.lancet.backfill.store.UdfCode.NONE : unit.code())
                    .loader(
                        UdfWorker.class.getClassLoader(),
                        jar -> JarStore.fetch(jar, unit.storageOptions()));
    String here = CodeIdentity.of(UdfInspector.loadClass(spec.className(), loader));
    if (!CodeIdentity.sameCode(spec.codeHash(), here)) {
      throw new UdfException(
          "UDF "
              + spec.className()
              + " on this worker is other code than the driver planned with"
              + " (code "
              + here
              + ", expected "
              + spec.codeHash()
              + "); a jar on the worker's class path shadows it");
    }
    return ColumnUdfs.instantiate(withTableStorage(spec, unit), loader);
  }

  /**
   * {@code spec} with the table's storage options among its options when it is one of Lancet's
   * built-in UDFs ({@link UdfClassPolicy#TABLE_STORAGE_OPTION}); a user's as it is.
   */
  static UdfSpec withTableStorage(UdfSpec spec, WorkUnit unit) {
    if (!UdfClassPolicy.BUILT_IN.contains(spec.className()) || unit.storageOptions().isEmpty()) {
      return spec;
    }
    Map<String, String> options = new HashMap<>(spec.options());
    unit.storageOptions()
        .forEach((k, v) -> options.put(UdfClassPolicy.TABLE_STORAGE_OPTION + k, v));
    return spec.toBuilder().options(options).build();
  }

  /**
   * Tells this worker a job is cancelled: its fragment in progress stops before its next batch. Not
   * synchronized: it runs while {@link #compute} does (actors get a second thread for it).
   */
  public boolean cancel(String jobId) {
    Cancellations.cancel(jobId);
    return true;
  }

  /**
   * Rows scanned so far in this JVM's fragments in progress of a job, as {@code "<jvm> <rows>"}.
   * Not synchronized: it runs while {@link #compute} does, on the actor's second thread.
   */
  public String rowsInFlight(String jobId) {
    return InFlightRows.JVM + " " + InFlightRows.total(jobId);
  }

  /**
   * Closes the UDF instance of one spec version and the open tables (a backfill's last call on this
   * actor).
   */
  public synchronized boolean close(String udfVersion) {
    // The backfill is over: its table versions are done with, and so is the UDF instance, even
    // when closing the other fails. Fused columns' workers close every column's (comma-joined).
    List<AutoCloseable> all = new java.util.ArrayList<>();
    all.add(datasets);
    for (String version : udfVersion.split(",")) {
      all.add(udfs.remove(version));
      udfs.keySet()
          .removeIf(
              k -> {
                if (!k.startsWith(version + COPY)) {
                  return false;
                }
                all.add(udfs.get(k));
                return true;
              });
    }
    Closing.all(all);
    return true;
  }
}
