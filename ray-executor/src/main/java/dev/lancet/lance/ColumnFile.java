package dev.lancet.lance;

import org.lance.FragmentMetadata;
import org.lance.fragment.DataFile;

/**
 * The data file that holds a virtual column's values in one fragment (all its siblings' values, for
 * a sibling group). It is the column's own file (written by a backfill), or a file shared with
 * other columns (written by an append that carried the column, an update, or a compaction), which a
 * backfill can only replace whole.
 *
 * @param path its name under the table's data directory
 * @param fieldIds the Lance field ids it holds
 * @param columnIndices their column indices in the file
 * @param major file format major version
 * @param minor file format minor version
 * @param shared whether it holds other fields than the column's
 */
public record ColumnFile(
    String path, int[] fieldIds, int[] columnIndices, int major, int minor, boolean shared) {
  public static ColumnFile of(DataFile file, ColumnLayout layout) {
    boolean shared = !java.util.Arrays.equals(file.getFields(), layout.fieldIds());
    return new ColumnFile(
        file.getPath(),
        file.getFields(),
        file.getColumnIndices(),
        file.getFileMajorVersion(),
        file.getFileMinorVersion(),
        shared);
  }

  public String formatVersion() {
    return major + "." + minor;
  }

  /** The file that holds the column in a fragment, or null. */
  public static ColumnFile in(FragmentMetadata meta, ColumnLayout layout) {
    ColumnFile found = null;
    for (DataFile f : meta.getFiles()) {
      if (layout.heldBy(f.getFields())) {
        if (found != null) {
          // Sibling columns are written together; apart, no file can replace them as one.
          throw new IllegalStateException(
              "fragment "
                  + meta.getId()
                  + " holds the sibling columns' fields "
                  + java.util.Arrays.toString(layout.fieldIds())
                  + " in two files ("
                  + found.path()
                  + ", "
                  + f.getPath()
                  + ")");
        }
        found = ColumnFile.of(f, layout);
      }
    }
    return found;
  }
}
