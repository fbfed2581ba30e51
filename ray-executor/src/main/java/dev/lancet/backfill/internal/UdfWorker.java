package dev.lancet.backfill.internal;

import dev.lancet.udf.ColumnUdf;
import dev.lancet.udf.ColumnUdfs;
import dev.lancet.udf.UdfSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * A worker that computes fragments: a Ray actor on a cluster, a pooled object in LOCAL mode
 * ({@link LocalWorkers}). It keeps one UDF instance per spec version for its whole life, so a
 * stateful UDF's {@code setup()} runs once per worker and its {@code close()} once at the end,
 * never per batch. It computes one unit at a time (the methods are synchronized to make sure).
 */
public class UdfWorker {
  private final Map<String, ColumnUdf> udfs = new HashMap<>();
  private final OpenDatasets datasets = new OpenDatasets();

  public UdfWorker() {}

  /** Computes one work unit; takes and returns JSON (a {@link WorkUnit}, a {@link FragmentReceipt}). */
  public synchronized String compute(String workUnitJson) {
    WorkUnit unit = WorkUnit.fromJson(workUnitJson);
    UdfSpec spec = UdfSpec.fromJson(unit.specJson());
    ColumnUdf udf = udfs.computeIfAbsent(spec.version(), v -> ColumnUdfs.instantiate(spec, classLoader()));
    return FragmentComputer.compute(unit, udf, datasets).toJson();
  }

  /** Closes the UDF instance of one spec version and the open tables (a backfill's last call on this actor). */
  public synchronized boolean close(String udfVersion) {
    datasets.close(); // the backfill is over: its table versions are done with
    ColumnUdf udf = udfs.remove(udfVersion);
    if (udf != null) {
      udf.close();
    }
    return true;
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : UdfWorker.class.getClassLoader();
  }
}
