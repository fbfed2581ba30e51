package dev.lancet.backfill;

import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import java.util.Map;
import org.lance.Dataset;
import org.lance.compaction.CompactionOptions;

/**
 * Compacts a table's small fragments (an UPDATE writes many) into fewer, with deletions
 * materialized: Lance's compaction, a {@code Rewrite} that moves rows whole. The next backfill
 * recomputes nothing for rows it moved ({@code ValueHistory} explains them from the history).
 */
public final class TableCompaction {
  /** Lance's own default target: about a million rows per fragment. */
  public static final long DEFAULT_TARGET_ROWS = 1024L * 1024;

  private TableCompaction() {}

  /**
   * What a compaction did.
   *
   * @param fragmentsBefore the table's fragments before
   * @param fragmentsAfter and after
   * @param versionBefore the table version before
   * @param versionAfter and after (the same when there was nothing to compact)
   */
  public record Result(
      int fragmentsBefore, int fragmentsAfter, long versionBefore, long versionAfter) {}

  public static Result compact(
      String datasetUri, Map<String, String> storageOptions, Long targetRowsPerFragment) {
    return compact(new TableLocation(datasetUri, storageOptions), targetRowsPerFragment);
  }

  /** {@link #compact(String, Map, Long)} of the table at {@code table}. */
  public static Result compact(TableLocation table, Long targetRowsPerFragment) {
    long target = targetRowsPerFragment == null ? DEFAULT_TARGET_ROWS : targetRowsPerFragment;
    int before;
    long versionBefore;
    try (Dataset dataset = LanceDatasets.open(table)) {
      before = dataset.getFragments().size();
      versionBefore = dataset.version();
      dataset.compact(
          CompactionOptions.builder()
              .withTargetRowsPerFragment(target)
              .withMaterializeDeletions(true)
              .build());
    }
    try (Dataset after = LanceDatasets.open(table)) {
      return new Result(before, after.getFragments().size(), versionBefore, after.version());
    }
  }
}
