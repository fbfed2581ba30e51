package dev.lancet.backfill.compute;

import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.lance.Allocators;
import dev.lancet.lance.Closing;
import dev.lancet.lance.LanceDatasets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.lance.Dataset;

/**
 * A worker's open datasets, one per table version, kept for the fragments of one backfill so each
 * fragment does not open the table again. Closed when the backfill's pool closes.
 */
final class OpenDatasets implements AutoCloseable {
  private final Map<String, Dataset> open = new HashMap<>();
  private final Map<String, BufferAllocator> allocators = new HashMap<>();

  /**
   * The dataset of the unit's table at the unit's version; owned by this object. Synchronized: the
   * columns of a fused task ask from their own threads (a Lance dataset itself is thread-safe).
   */
  synchronized Dataset of(WorkUnit unit) {
    String key = unit.datasetUri() + "@" + unit.version();
    Dataset dataset = open.get(key);
    if (dataset == null) {
      BufferAllocator allocator = Allocators.child("lancet-dataset-" + unit.version());
      try {
        dataset = LanceDatasets.open(allocator, unit.table(), unit.version());
      } catch (RuntimeException e) {
        allocator.close();
        throw e;
      }
      open.put(key, dataset);
      allocators.put(key, allocator);
    }
    return dataset;
  }

  @Override
  public synchronized void close() {
    // Every dataset, then every allocator, whatever fails: a failure leaks nothing else.
    List<AutoCloseable> all = new ArrayList<>(open.values());
    all.addAll(allocators.values());
    open.clear();
    allocators.clear();
    Closing.all(all);
  }
}
