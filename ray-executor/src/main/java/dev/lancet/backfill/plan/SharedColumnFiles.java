package dev.lancet.backfill.plan;

import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.StoredColumn;
import dev.lancet.lance.TableLocation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.fragment.DataFile;
import org.lance.schema.LanceField;

/**
 * Which of several columns share a data file with another of them in some fragment: an UPDATE
 * writes its rows with every column in one file. A backfill of such a column replaces that file
 * with one of the same fields (the others' values copied), so two of them computed at once would
 * each replace the file the other's plan saw; computed one after the other, each plans on the
 * other's file and keeps its values.
 */
public final class SharedColumnFiles {
  private SharedColumnFiles() {}

  /** The columns of {@code columns} that share a file with another of them, in their order. */
  public static Set<String> among(TableLocation table, List<String> columns) {
    Set<String> out = new LinkedHashSet<>();
    try (Dataset dataset = LanceDatasets.open(table)) {
      Map<Integer, String> owner = new HashMap<>();
      for (String column : columns) {
        for (LanceField f : StoredColumn.of(dataset, column).lanceFields(dataset)) {
          Set<Integer> ids = new HashSet<>();
          TableFields.collectIds(f, ids);
          ids.forEach(id -> owner.put(id, column));
        }
      }
      for (Fragment fragment : dataset.getFragments()) {
        for (DataFile file : fragment.metadata().getFiles()) {
          Set<String> in = new LinkedHashSet<>();
          for (int id : file.getFields()) {
            String column = owner.get(id);
            if (column != null) {
              in.add(column);
            }
          }
          if (in.size() > 1) {
            out.addAll(in);
          }
        }
      }
    }
    Set<String> ordered = new LinkedHashSet<>();
    columns.stream().filter(out::contains).forEach(ordered::add);
    return ordered;
  }
}
