package dev.lancet.backfill.plan;

import dev.lancet.backfill.store.Slots;
import dev.lancet.backfill.store.UdfCode;
import dev.lancet.lance.ColumnFile;
import dev.lancet.lance.TableLocation;
import java.util.Map;

/**
 * One fragment's share of a backfill, as a worker computes it: the job's context, the fragment's
 * part, and how its group reached the worker. Built from a {@link WorkGroup} ({@link
 * WorkGroup#units()}); it does not travel on its own.
 *
 * @param job what every fragment of the job shares
 * @param fragment this fragment's part
 * @param code the user's jars the UDF loads from on a cluster worker, or null
 * @param retried whether the group runs again after its worker died (it looks for checkpoints)
 */
public record WorkUnit(JobContext job, FragmentWork fragment, UdfCode code, boolean retried) {

  // The job's fields, under the names worker code reads them by.

  /** The URI of {@link JobContext#table()}. */
  public String datasetUri() {
    return job.table().uri();
  }

  /** The storage options of {@link JobContext#table()}. */
  public Map<String, String> storageOptions() {
    return job.table().storageOptions();
  }

  /** See {@link JobContext#version()}. */
  public long version() {
    return job.version();
  }

  /** See {@link JobContext#column()}. */
  public String column() {
    return job.column();
  }

  /** See {@link JobContext#specJson()}. */
  public String specJson() {
    return job.specJson();
  }

  /** See {@link JobContext#batchSize()}. */
  public int batchSize() {
    return job.batchSize();
  }

  /** See {@link JobContext#filter()}. */
  public String filter() {
    return job.filter();
  }

  /** See {@link JobContext#checkpoints()}. */
  public boolean checkpoints() {
    return job.checkpoints();
  }

  /** See {@link JobContext#checkpointIntervalMillis()}. */
  public long checkpointIntervalMillis() {
    return job.checkpointIntervalMillis();
  }

  /** See {@link JobContext#driverJava()}. */
  public String driverJava() {
    return job.driverJava();
  }

  /** See {@link JobContext#allowedJars()}. */
  public String allowedJars() {
    return job.allowedJars();
  }

  /** See {@link JobContext#allowedPackages()}. */
  public String allowedPackages() {
    return job.allowedPackages();
  }

  /** See {@link JobContext#jobId()}. */
  public String jobId() {
    return job.jobId();
  }

  /** See {@link JobContext#table()}. */
  public TableLocation table() {
    return job.table();
  }

  // The fragment's fields.

  /** See {@link FragmentWork#fragmentId()}. */
  public int fragmentId() {
    return fragment.fragmentId();
  }

  /** See {@link FragmentWork#physicalRows()}. */
  public long physicalRows() {
    return fragment.physicalRows();
  }

  /** See {@link FragmentWork#split()}. */
  public FragmentSplit split() {
    return fragment.split();
  }

  /**
   * Whether this is one row range of a split fragment (not the whole fragment, nor its assembly).
   */
  public boolean isRange() {
    return fragment.split() != null && fragment.split().isRange();
  }

  /** The first slot this unit computes: its range's start, else 0. */
  public long firstSlot() {
    return isRange() ? fragment.split().start(fragment.split().index()) : 0;
  }

  /** The slot after the last one this unit computes: its range's end, else the fragment's. */
  public long endSlot() {
    return isRange()
        ? fragment.split().end(fragment.split().index(), fragment.physicalRows())
        : fragment.physicalRows();
  }

  /** The key this unit's parts are recorded under: its range's, else the fragment's work key. */
  public String partsKey() {
    return isRange() ? FragmentSplit.rangeKey(workKey(), firstSlot()) : fragment.workKey();
  }

  /** Slots this unit covers: its range's, else the fragment's physical rows. */
  public long slots() {
    return endSlot() - firstSlot();
  }

  /**
   * The same unit as the task {@code split} names (one of the fragment's ranges, or its assembly).
   */
  WorkUnit withSplit(FragmentSplit split) {
    return new WorkUnit(job, fragment.withSplit(split), code, retried);
  }

  /** See {@link FragmentWork#liveRows()}. */
  public long liveRows() {
    return fragment.liveRows();
  }

  /** See {@link FragmentWork#workKey()}. */
  public String workKey() {
    return fragment.workKey();
  }

  /** See {@link FragmentWork#current()}. */
  public ColumnFile current() {
    return fragment.current();
  }

  /** See {@link FragmentWork#currentSlots()}. */
  public String currentSlots() {
    return fragment.currentSlots();
  }

  /**
   * Whether an earlier run may have left checkpoints for this work (the column's last job did not
   * succeed, or this is a retry): only then does the worker look for them.
   */
  public boolean mayResume() {
    return job.mayResume() || retried;
  }

  /** See {@link FragmentWork#maxRows()}. */
  public long maxRows() {
    return fragment.maxRows();
  }

  /** The slots whose value is current, not computed again. */
  public Slots fresh() {
    return Slots.decode(currentSlots());
  }

  /**
   * Whether the scan returns every physical row in order and every one is computed (no deletions,
   * no filter, nothing current, no shared file to keep): then each batch is the next slice of the
   * column file and is written straight to it.
   */
  public boolean dense() {
    ColumnFile current = current();
    return liveRows() == physicalRows()
        && filter() == null
        && maxRows() == 0
        && currentSlots() == null
        && (current == null || !current.shared());
  }

  /**
   * Whether the current values must be read: some are kept (current or outside the filter), or a
   * shared file is rewritten.
   */
  public boolean keepsCurrentValues() {
    ColumnFile current = current();
    return current != null
        && (current.shared() || currentSlots() != null || filter() != null || maxRows() > 0);
  }
}
