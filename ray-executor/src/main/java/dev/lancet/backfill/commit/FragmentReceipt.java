package dev.lancet.backfill.commit;

import dev.lancet.backfill.RowError;
import dev.lancet.backfill.store.Json;
import dev.lancet.backfill.store.Slots;
import dev.lancet.backfill.store.StaleSlots;
import dev.lancet.lance.ColumnFile;
import java.util.List;

/**
 * What a worker returns for a finished fragment: where the column file is, never the data. Its
 * parts change on their own (a receipt found again by a later run, kept in a done record, named
 * with its node), so each is a small record.
 *
 * @param fragmentId the fragment
 * @param workKey the key the result was computed under
 * @param file the new column file
 * @param counts the fragment's rows by what became of them
 * @param origin where the file came from and what was recorded of it
 */
public record FragmentReceipt(
    int fragmentId, String workKey, WrittenFile file, RowCounts counts, Origin origin) {

  /** At most this many failed rows are reported per fragment; the count covers them all. */
  public static final int MAX_ERRORS = 20;

  /**
   * The new column file.
   *
   * @param fileName the file, relative to the dataset's data directory; null when nothing was
   *     computed (every row current, or none matched the filter): nothing to commit
   * @param sizeBytes its size
   * @param physicalRows rows in the file, equal to the fragment's physical rows
   * @param replaces the shared file the new file replaces whole, or null
   * @param currentSlots Base64 bitmap of the slots whose value is current in the new file, or null
   *     when every live row's is
   * @param stale the slots not computed into the new file whose value it keeps from an older
   *     version or inputs, or null (the driver adds them when it records the file)
   */
  public record WrittenFile(
      String fileName,
      long sizeBytes,
      long physicalRows,
      ColumnFile replaces,
      String currentSlots,
      StaleSlots stale) {
    /** A file without stale values (as a worker writes it). */
    public WrittenFile(
        String fileName,
        long sizeBytes,
        long physicalRows,
        ColumnFile replaces,
        String currentSlots) {
      this(fileName, sizeBytes, physicalRows, replaces, currentSlots, null);
    }
  }

  /**
   * The fragment's rows by what became of them.
   *
   * @param computed rows the UDF computed in this run
   * @param reused rows taken from checkpoints of an earlier run
   * @param failed rows whose UDF call failed (written as null under on_error = null)
   * @param errors the first failed rows, for the job record
   */
  public record RowCounts(long computed, long reused, long failed, List<RowError> errors) {
    public RowCounts {
      errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** The same rows as a later run finds them: none computed now, all reused. */
    RowCounts allReused() {
      return new RowCounts(0, computed + reused, failed, errors);
    }
  }

  /**
   * Where the file came from and what was recorded of it.
   *
   * @param earlierFile whether the file was finished by an earlier run (which may also commit it),
   *     so this run must never delete it
   * @param checkpointed whether the worker left checkpoint records for it (deleted once recorded)
   * @param node the Ray node whose worker computed it ("local" in LOCAL mode), or null
   * @param java the Java version of the worker that computed it, or null
   * @param peakBytes the most Arrow memory its task held at once (the UDF's results and the file
   *     being written), or 0
   */
  public record Origin(
      boolean earlierFile, boolean checkpointed, String node, String java, long peakBytes) {
    /** Neither an earlier run's file nor checkpointed, on no node yet: a file just computed. */
    public static final Origin NEW = new Origin(false, false, null, null, 0);

    /** An origin of no measured memory. */
    public Origin(boolean earlierFile, boolean checkpointed, String node, String java) {
      this(earlierFile, checkpointed, node, java, 0);
    }

    /** The same origin, computed on {@code worker}'s node by a JVM of Java {@code javaVersion}. */
    public Origin onNode(String worker, String javaVersion) {
      return new Origin(earlierFile, checkpointed, worker, javaVersion, peakBytes);
    }

    /** The same origin, kept in a done record, so the run that records it deletes the record. */
    public Origin inDoneRecord() {
      return new Origin(earlierFile, true, node, java, peakBytes);
    }

    /** The same origin, its task having held at most {@code bytes} of Arrow memory. */
    public Origin withPeak(long bytes) {
      return new Origin(earlierFile, checkpointed, node, java, bytes);
    }
  }

  /**
   * What the table's history says of a file no run of ours wrote (an UPDATE's): its current slots
   * and the stale values it holds. Recorded with the file; never committed or reused.
   */
  public static FragmentReceipt fromHistory(
      int fragmentId, String fileName, long physicalRows, Slots current, StaleSlots stale) {
    return new FragmentReceipt(
        fragmentId,
        "history",
        new WrittenFile(fileName, 0, physicalRows, null, current.encodeKeepingEmpty(), stale),
        new RowCounts(0, 0, 0, List.of()),
        new Origin(true, false, null, null));
  }

  /**
   * A fragment with nothing to compute: no file, nothing to commit.
   *
   * @param currentSlots the fragment's current slots as planned (null for none)
   */
  public static FragmentReceipt unchanged(
      int fragmentId, String workKey, long physicalRows, String currentSlots) {
    return new FragmentReceipt(
        fragmentId,
        workKey,
        new WrittenFile(null, 0, physicalRows, null, currentSlots == null ? "" : currentSlots),
        new RowCounts(0, 0, 0, List.of()),
        Origin.NEW);
  }

  /** Whether there is a file to commit. */
  public boolean changed() {
    return file.fileName() != null;
  }

  /**
   * The same receipt as found again by a later run: nothing computed now, and never to be deleted
   * by it.
   */
  public FragmentReceipt reusedLater() {
    return new FragmentReceipt(
        fragmentId,
        workKey,
        file,
        counts.allReused(),
        new Origin(true, origin.checkpointed(), origin.node(), origin.java()));
  }

  /** The same receipt with other counts (a split fragment's, its ranges' rows counted in). */
  public FragmentReceipt withCounts(RowCounts newCounts) {
    return new FragmentReceipt(fragmentId, workKey, file, newCounts, origin);
  }

  /** The same receipt, its file keeping {@code stale} values (null for none). */
  public FragmentReceipt withStale(StaleSlots stale) {
    return new FragmentReceipt(
        fragmentId,
        workKey,
        new WrittenFile(
            file.fileName(),
            file.sizeBytes(),
            file.physicalRows(),
            file.replaces(),
            file.currentSlots(),
            stale),
        counts,
        origin);
  }

  /** The same receipt with another origin. */
  public FragmentReceipt with(Origin newOrigin) {
    return new FragmentReceipt(fragmentId, workKey, file, counts, newOrigin);
  }

  // The parts' fields, under the names the driver reads them by.

  /** See {@link WrittenFile#fileName()}. */
  public String fileName() {
    return file.fileName();
  }

  /** See {@link WrittenFile#sizeBytes()}. */
  public long fileSizeBytes() {
    return file.sizeBytes();
  }

  /** See {@link WrittenFile#physicalRows()}. */
  public long physicalRows() {
    return file.physicalRows();
  }

  /** See {@link WrittenFile#replaces()}. */
  public ColumnFile replaces() {
    return file.replaces();
  }

  /** See {@link WrittenFile#currentSlots()}. */
  public String currentSlots() {
    return file.currentSlots();
  }

  /** See {@link RowCounts#computed()}. */
  public long rowsComputed() {
    return counts.computed();
  }

  /** See {@link RowCounts#reused()}. */
  public long rowsReused() {
    return counts.reused();
  }

  /** See {@link RowCounts#failed()}. */
  public long rowsFailed() {
    return counts.failed();
  }

  /** See {@link RowCounts#errors()}. */
  public List<RowError> errors() {
    return counts.errors();
  }

  /** See {@link Origin#earlierFile()}. */
  public boolean earlierFile() {
    return origin.earlierFile();
  }

  /** See {@link Origin#checkpointed()}. */
  public boolean checkpointed() {
    return origin.checkpointed();
  }

  /** See {@link Origin#node()}. */
  public String node() {
    return origin.node();
  }

  /** The receipt as stored in the table's state and in done records. */
  public String toJson() {
    return Json.write(this);
  }

  /** A receipt {@link #toJson} wrote. */
  public static FragmentReceipt fromJson(String json) {
    return Json.read(json, FragmentReceipt.class);
  }

  /** A worker call's receipts, as it returns them. */
  public static String toJson(List<FragmentReceipt> receipts) {
    return Json.write(receipts);
  }

  /** A worker call's receipts, as the driver reads them. */
  public static List<FragmentReceipt> listFromJson(String json) {
    return List.of(Json.read(json, FragmentReceipt[].class));
  }
}
