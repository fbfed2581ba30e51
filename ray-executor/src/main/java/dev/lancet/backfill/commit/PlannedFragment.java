package dev.lancet.backfill.commit;

import java.util.List;
import java.util.Set;
import org.lance.FragmentMetadata;
import org.lance.fragment.DataFile;

/**
 * A fragment as the backfill saw it at planning time: its physical rows and the data files holding
 * the fields that matter (the UDF's inputs and the target column). Before a commit the fragment
 * must still look like this, or a concurrent update, compaction or backfill of the same column
 * changed it, and committing the new file could misalign rows or overwrite newer values. Deletions
 * do not matter: the new file holds every physical row in place, so it stays aligned under any
 * deletion vector. Files of other columns do not matter either, so backfills of different columns
 * both land.
 */
public record PlannedFragment(
    int id, long physicalRows, long liveRows, List<String> dataFiles, Set<Integer> fieldIds) {
  public static PlannedFragment of(FragmentMetadata meta, Set<Integer> fieldIds) {
    List<String> files =
        meta.getFiles().stream()
            .filter(f -> java.util.Arrays.stream(f.getFields()).anyMatch(fieldIds::contains))
            .map(DataFile::getPath)
            .sorted()
            .toList();
    return new PlannedFragment(
        meta.getId(), meta.getPhysicalRows(), meta.getNumRows(), files, fieldIds);
  }

  /** Whether {@code now} is the fragment as planned (deletions aside). */
  boolean unchangedIn(FragmentMetadata now) {
    if (now == null) {
      return false;
    }
    PlannedFragment other = of(now, fieldIds);
    return other.physicalRows == physicalRows && other.dataFiles.equals(dataFiles);
  }

  /** Whether {@code now} holds {@code fileName} (our file is committed there). */
  static boolean holds(FragmentMetadata now, String fileName) {
    return now != null && now.getFiles().stream().anyMatch(f -> f.getPath().equals(fileName));
  }
}
