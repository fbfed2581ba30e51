package dev.lancet.backfill.store;

import java.util.Set;
import java.util.TreeSet;
import org.lance.FragmentMetadata;
import org.lance.fragment.DataFile;

/**
 * What a fragment's values depend on besides the UDF: its physical rows and the data files holding
 * the UDF's input columns. The file holding the column itself is written {@code .}, so rewriting a
 * file shared by the column and its inputs keeps the identity. Deletions are not part of it (they
 * change no remaining row's value), and neither are other columns' files, so backfilling one
 * virtual column never makes another stale.
 */
public final class FragmentInputs {
  private FragmentInputs() {}

  public static String of(FragmentMetadata meta, Set<Integer> inputFieldIds, String columnFile) {
    Set<String> files = new TreeSet<>();
    for (DataFile f : meta.getFiles()) {
      for (int id : f.getFields()) {
        if (inputFieldIds.contains(id)) {
          files.add(f.getPath().equals(columnFile) ? "." : f.getPath());
          break;
        }
      }
    }
    return meta.getPhysicalRows() + "|" + String.join(",", files);
  }
}
