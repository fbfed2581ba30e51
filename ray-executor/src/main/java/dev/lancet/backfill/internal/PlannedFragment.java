package dev.lancet.backfill.internal;

import java.util.List;
import java.util.Set;
import org.lance.FragmentMetadata;
import org.lance.fragment.DataFile;
import org.lance.fragment.DeletionFile;

/**
 * A fragment as the backfill saw it at planning time: its physical rows, deletions, and the
 * data files holding the fields that matter (the UDF's inputs, the filter's columns, the target
 * column). Before a commit the fragment must still look like this, or a concurrent update,
 * delete, compaction or backfill of the same column changed it, and committing the new file
 * could misalign rows or overwrite newer values. Files of other columns do not matter, so
 * backfills of different columns both land.
 */
record PlannedFragment(int id, long physicalRows, long liveRows, List<String> dataFiles, String deletions, Set<Integer> fieldIds) {
  static PlannedFragment of(FragmentMetadata meta, Set<Integer> fieldIds) {
    DeletionFile d = meta.getDeletionFile();
    List<String> files = meta.getFiles().stream()
        .filter(f -> java.util.Arrays.stream(f.getFields()).anyMatch(fieldIds::contains))
        .map(DataFile::getPath).sorted().toList();
    return new PlannedFragment(meta.getId(), meta.getPhysicalRows(), meta.getNumRows(), files,
        d == null ? "-" : d.getId() + ":" + d.getNumDeletedRows(), fieldIds);
  }

  /** Whether {@code now} is the fragment as planned. */
  boolean unchangedIn(FragmentMetadata now) {
    return now != null && of(now, fieldIds).equals(this);
  }
}
