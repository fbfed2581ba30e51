package dev.lancet.backfill.internal;

import java.util.List;
import org.lance.FragmentMetadata;
import org.lance.fragment.DataFile;

/**
 * A fragment as the backfill saw it at planning time: its data files and physical rows. Before a
 * commit the fragment must still look like this, or the new column file would misalign.
 */
record PlannedFragment(int id, long physicalRows, long liveRows, List<String> dataFiles) {
  static PlannedFragment of(FragmentMetadata meta) {
    return new PlannedFragment(meta.getId(), meta.getPhysicalRows(), meta.getNumRows(),
        meta.getFiles().stream().map(DataFile::getPath).sorted().toList());
  }

  /** Whether {@code now} has the same rows in the same data files (the target column's file aside). */
  boolean sameRowsAs(FragmentMetadata now, String targetFile) {
    List<String> files = now.getFiles().stream().map(DataFile::getPath).filter(p -> !p.equals(targetFile)).sorted().toList();
    List<String> planned = dataFiles.stream().filter(p -> !p.equals(targetFile)).toList();
    return now.getPhysicalRows() == physicalRows && files.equals(planned);
  }
}
